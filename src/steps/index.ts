// The seed's steps, in the order they run. Each lives in src/steps/<name>/index.ts and exports `step`.
import type { StepName } from '../config/choices.js';
import type { StepModule } from './step.js';

export interface StepEntry {
  name: StepName;
  title: string;
  /** The issue that brings the step, while its module is missing. */
  pendingIssue: number;
}

export const STEP_REGISTRY: readonly StepEntry[] = [
  { name: 'network', title: 'network connectivity', pendingIssue: 5 },
  { name: 'dns', title: 'name resolution', pendingIssue: 5 },
  { name: 'auth', title: 'RAM roles and trust', pendingIssue: 4 },
  { name: 'addon', title: 'credential helper add-on', pendingIssue: 4 },
  { name: 'verify', title: 'test pull', pendingIssue: 6 },
];

/** The steps a command runs: those named with --step, else all. */
export function selectSteps(names: readonly string[] | undefined): StepEntry[] {
  if (!names || names.length === 0) return [...STEP_REGISTRY];
  return STEP_REGISTRY.filter((s) => names.includes(s.name));
}

/** Loads a step's module, or undefined while it has not been written (its issue is still open). */
export async function loadStep(entry: StepEntry): Promise<StepModule | undefined> {
  try {
    const module = (await import(`./${entry.name}/index.js`)) as { step?: StepModule };
    return module.step;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`/steps/${entry.name}/`)) return undefined;
    throw error;
  }
}
