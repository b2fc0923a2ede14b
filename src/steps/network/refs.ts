// Values an action needs that may exist now (discovered) or only once an earlier action has run (its output).
// A planner builds actions from refs; the plan shows `(known after apply)` for the latter, and the action's
// dependencies follow from the refs it reads, so the two cannot drift apart.
import { knownAfterApply, type Action, type ApplyContext, type DetailValue } from '../../plan/action.js';

export type Ref = { value: string } | { from: string; key: string; map?: (value: string) => string };

export const known = (value: string): Ref => ({ value });
export const later = (from: string, key: string): Ref => ({ from, key });

export const isKnown = (ref: Ref): ref is { value: string } => 'value' in ref;

/** The value if it is known at plan time. */
export const valueOf = (ref: Ref | undefined): string | undefined => (ref && isKnown(ref) ? ref.value : undefined);

/** For the plan's detail. */
export const show = (ref: Ref): DetailValue => (isKnown(ref) ? ref.value : knownAfterApply());

/** The action IDs the refs wait for. */
export function refDeps(...refs: (Ref | undefined)[]): string[] {
  return [...new Set(refs.flatMap((r) => (r && !isKnown(r) ? [r.from] : [])))];
}

/** Reads a ref while an action runs (its producer is one of the action's dependencies). */
export function read(ctx: ApplyContext, ref: Ref): string {
  if (isKnown(ref)) return ref.value;
  const value = ctx.output<Record<string, unknown>>(ref.from)[ref.key];
  if (typeof value !== 'string' || value === '') throw new Error(`internal: action ${ref.from} produced no ${ref.key}`);
  return ref.map ? ref.map(value) : value;
}

/** The same value transformed (e.g. an address into its /32), now or once known. */
export function mapRef(ref: Ref, fn: (value: string) => string): Ref {
  if (isKnown(ref)) return { value: fn(ref.value) };
  const inner = ref.map;
  return { from: ref.from, key: ref.key, map: inner ? (v) => fn(inner(v)) : fn };
}

/** An action whose dependencies are its own plus those of the refs it reads (deduplicated, in order). */
export function withDeps(action: Action, ...refs: (Ref | undefined)[]): Action {
  const deps = [...new Set([...(action.dependsOn ?? []), ...refDeps(...refs)])];
  return deps.length > 0 ? { ...action, dependsOn: deps } : { ...action, dependsOn: undefined };
}
