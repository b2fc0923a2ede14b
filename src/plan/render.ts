// Shows a plan the way Terraform does (text), or as stable JSON for scripts (`--json`).
import { Chalk, type ChalkInstance } from 'chalk';

import {
  FieldChange,
  KnownAfterApply,
  Sensitive,
  type Account,
  type Action,
  type ChangeKind,
  type DetailValue,
} from './action.js';
import { hasChanges, summarize, type Plan } from './plan.js';

export interface RenderOptions {
  color: boolean;
  /** Account labels, e.g. `{ A: 'A (1234...5678)' }`. */
  accounts?: Partial<Record<Account, string>>;
}

const SYMBOL: Record<ChangeKind, string> = { create: '+', update: '~', delete: '-', wait: '>', check: '?', noop: ' ' };
const VERB: Record<ChangeKind, string> = { create: 'create', update: 'update', delete: 'delete', wait: 'wait', check: 'check', noop: 'unchanged' };

function paint(c: ChalkInstance, change: ChangeKind, text: string): string {
  switch (change) {
    case 'create':
      return c.green(text);
    case 'update':
      return c.yellow(text);
    case 'delete':
      return c.red(text);
    case 'wait':
    case 'check':
      return c.cyan(text);
    default:
      return c.dim(text);
  }
}

export function formatValue(value: DetailValue, c: ChalkInstance): string {
  if (value instanceof KnownAfterApply) return c.dim('(known after apply)');
  if (value instanceof Sensitive) return c.dim('(sensitive value)');
  if (value instanceof FieldChange) return `${formatValue(value.before, c)} ${c.yellow('->')} ${formatValue(value.after, c)}`;
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, c)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k} = ${formatValue(v, c)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** Renders the plan as text: grouped by step and account, unchanged actions collapsed, a closing summary. */
export function renderPlanText(plan: Plan, options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  const groups = new Map<string, Action[]>();
  for (const action of plan.actions) {
    const key = `${action.step}\u0000${action.account}`;
    groups.set(key, [...(groups.get(key) ?? []), action]);
  }
  for (const [key, actions] of groups) {
    const [step, account] = key.split('\u0000') as [string, Account];
    const label = options.accounts?.[account] ?? `account ${account}`;
    lines.push(c.bold(`${step} · ${label}`));
    const unchanged = actions.filter((a) => a.change === 'noop');
    for (const action of actions) {
      if (action.change === 'noop') continue;
      lines.push(`  ${paint(c, action.change, `${SYMBOL[action.change]} ${VERB[action.change].padEnd(6)}`)} ${action.title} ${c.dim(`(${action.id})`)}`);
      for (const [field, value] of Object.entries(action.detail ?? {})) {
        lines.push(`        ${field} = ${formatValue(value, c)}`);
      }
    }
    if (plan.teardown) {
      // In a teardown, what is not removed is the news: each says why it stays.
      for (const action of unchanged) lines.push(c.dim(`  = ${action.title} (${action.id})`));
    } else if (unchanged.length > 0) {
      const names = unchanged.map((a) => a.id).join(', ');
      lines.push(c.dim(`    ${unchanged.length} unchanged: ${names}`));
    }
    lines.push('');
  }
  for (const note of plan.notes) lines.push(`${c.yellow('Note:')} ${note}`);
  if (plan.notes.length > 0) lines.push('');
  lines.push(summaryLine(plan, c));
  return lines.join('\n');
}

export function summaryLine(plan: Plan, c: ChalkInstance = new Chalk({ level: 0 })): string {
  if (!hasChanges(plan)) return plan.teardown ? `${c.green('No changes.')} Nothing made by acr-xaccount is left to remove.` : `${c.green('No changes.')} The setup matches the configuration.`;
  const s = summarize(plan);
  const waits = s.wait > 0 ? ` ${s.wait} to wait for.` : '';
  return `${c.bold('Plan:')} ${s.create} to create, ${s.update} to update, ${s.delete} to delete.${waits}`;
}

/** JSON value of a detail: unknowns and secrets become marker objects, never the value. */
export function detailToJson(value: DetailValue): unknown {
  if (value instanceof KnownAfterApply) return { knownAfterApply: true };
  if (value instanceof Sensitive) return { sensitive: true };
  if (value instanceof FieldChange) return { before: detailToJson(value.before), after: detailToJson(value.after) };
  if (Array.isArray(value)) return value.map(detailToJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, detailToJson(v)]));
  }
  return value;
}

export const PLAN_FORMAT_VERSION = 1;

/** The documented `--json` shape (README "JSON output"). */
export function planToJson(plan: Plan): object {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    changes: hasChanges(plan),
    summary: summarize(plan),
    notes: plan.notes,
    ...(plan.teardown ? { purpose: 'destroy' } : {}),
    actions: plan.actions.map((a) => ({
      id: a.id,
      step: a.step,
      account: a.account,
      change: a.change,
      title: a.title,
      dependsOn: a.dependsOn ?? [],
      detail: detailToJson(a.detail ?? {}),
    })),
  };
}
