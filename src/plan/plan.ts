// A Plan is a checked set of Actions: unique IDs, known dependencies, no cycles, a stable order.
import type { Action, ChangeKind } from './action.js';

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  wait: number;
  check: number;
  noop: number;
}

export interface Plan {
  /** In dependency order; ties keep the planners' order. */
  actions: Action[];
  /** Things the user should know that change nothing (shown above the summary). */
  notes: string[];
  /** `destroy`'s plan: its unchanged actions are what stays, each listed with why. */
  teardown?: boolean;
}

export class PlanError extends Error {
  constructor(message: string) {
    super(`internal plan error: ${message}`);
    this.name = 'PlanError';
  }
}

/** Orders actions so each comes after its dependencies (Kahn's algorithm, stable). */
export function orderActions(actions: readonly Action[]): Action[] {
  const byId = new Map<string, Action>();
  for (const action of actions) {
    if (byId.has(action.id)) throw new PlanError(`two actions share the ID "${action.id}"`);
    byId.set(action.id, action);
  }
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const action of actions) {
    const deps = action.dependsOn ?? [];
    for (const dep of deps) {
      if (!byId.has(dep)) throw new PlanError(`"${action.id}" depends on unknown action "${dep}"`);
      dependents.set(dep, [...(dependents.get(dep) ?? []), action.id]);
    }
    pending.set(action.id, new Set(deps).size);
  }
  const position = new Map(actions.map((a, i) => [a.id, i]));
  const ready = actions.filter((a) => pending.get(a.id) === 0).map((a) => a.id);
  const ordered: Action[] = [];
  while (ready.length > 0) {
    ready.sort((x, y) => position.get(x)! - position.get(y)!);
    const id = ready.shift()!;
    ordered.push(byId.get(id)!);
    for (const next of new Set(dependents.get(id) ?? [])) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (ordered.length !== actions.length) {
    const stuck = actions.filter((a) => !ordered.includes(a)).map((a) => a.id);
    throw new PlanError(`dependency cycle among ${stuck.join(', ')}`);
  }
  return ordered;
}

/** Runs groups one after another: each group's changes depend on every change of the groups before it. */
export function inSequence(groups: readonly Action[][]): Action[] {
  const out: Action[] = [];
  let before: string[] = [];
  for (const group of groups) {
    const changes = group.filter((a) => a.change !== 'noop');
    out.push(...group.map((a) => (a.change === 'noop' ? a : { ...a, dependsOn: [...new Set([...(a.dependsOn ?? []), ...before])] })));
    before = [...before, ...changes.map((a) => a.id)];
  }
  return out;
}

export function createPlan(actions: readonly Action[], notes: string[] = [], options: { teardown?: boolean } = {}): Plan {
  return { actions: orderActions(actions), notes, ...(options.teardown ? { teardown: true } : {}) };
}

export function summarize(plan: Plan): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, wait: 0, check: 0, noop: 0 };
  for (const action of plan.actions) summary[action.change satisfies ChangeKind]++;
  return summary;
}

/** True when apply has anything to do; a pending wait means the setup is not finished yet. */
export function hasChanges(plan: Plan): boolean {
  const s = summarize(plan);
  return s.create + s.update + s.delete + s.wait > 0;
}
