// The seed's steps, in the order they run. Each lives in src/steps/<name>/index.ts and exports `step`.
import type { StepName } from '../config/choices.js';
import type { StepModule } from './step.js';

export interface StepEntry {
  name: StepName;
  title: string;
}

export const STEP_REGISTRY: readonly StepEntry[] = [
  { name: 'network', title: 'network connectivity' },
  { name: 'dns', title: 'name resolution' },
  { name: 'auth', title: 'RAM roles and trust' },
  { name: 'addon', title: 'credential helper add-on' },
  { name: 'verify', title: 'test pull' },
];

/** The steps a command runs: those named with --step, else all. */
export function selectSteps(names: readonly string[] | undefined): StepEntry[] {
  if (!names || names.length === 0) return [...STEP_REGISTRY];
  return STEP_REGISTRY.filter((s) => names.includes(s.name));
}

/** Loads a step's module (imported on demand: a command loads only the steps it runs). */
export async function loadStep(entry: StepEntry): Promise<StepModule> {
  const module = (await import(`./${entry.name}/index.js`)) as { step: StepModule };
  return module.step;
}
