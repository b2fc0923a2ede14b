// The seed's steps as planners, in the order they run. Each entry says where its planner comes from.
import type { StepName } from '../config/choices.js';
import type { Config } from '../config/schema.js';
import type { Action } from '../plan/action.js';

/** A planner turns the config and the discovered facts into Actions; it performs no I/O. */
export type Planner<Facts = unknown> = (config: Config, facts: Facts) => Action[];

export interface StepEntry {
  name: StepName;
  title: string;
  planner?: Planner;
  /** The issue that brings the planner, while it is missing. */
  pendingIssue?: number;
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
