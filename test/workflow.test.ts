// The plan -> confirm -> apply workflow and the progress reporters, with fake actions and a fake terminal.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';

import { Chalk } from 'chalk';

import type { CommandContext, GlobalOptions, Ui } from '../src/commands/context.js';
import { planExitCode } from '../src/commands/plan.js';
import { applyPlan } from '../src/commands/workflow.js';
import { UserError } from '../src/errors.js';
import type { Action } from '../src/plan/action.js';
import { executePlan } from '../src/plan/execute.js';
import { createPlan } from '../src/plan/plan.js';
import { PlainReporter, SpinnerReporter } from '../src/plan/progress.js';

function fakeContext(options: Partial<GlobalOptions> = {}, interactive = false) {
  const out: string[] = [];
  const err: string[] = [];
  const ui: Ui = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    c: new Chalk({ level: 0 }),
    color: false,
    json: Boolean(options.json),
    interactive,
    stderr: process.stderr,
  };
  const ctx: CommandContext = { name: 'apply', options: { config: 'x.yaml', ...options }, args: [], ui, cleanup: [] };
  return { ctx, out, err };
}

function changing(applied: string[]): Action[] {
  return [
    { id: 'auth.role-b', step: 'auth', account: 'B', title: 'Create role', change: 'create', apply: async () => void applied.push('auth.role-b') },
    { id: 'auth.policy', step: 'auth', account: 'B', title: 'Policy', change: 'noop', apply: async () => void applied.push('auth.policy') },
  ];
}

const never = async () => assert.fail('must not ask');

describe('apply workflow', () => {
  it('a finished setup: shows "No changes", applies nothing, exit 0', async () => {
    const applied: string[] = [];
    const { ctx, out } = fakeContext();
    const plan = createPlan(changing(applied).map((a) => ({ ...a, change: 'noop' as const })));
    assert.equal(await applyPlan(ctx, plan, { dryRun: false, rerun: 'r', confirm: never }), 0);
    assert.match(out.join('\n'), /No changes/);
    assert.deepEqual(applied, []);
    assert.equal(planExitCode(plan, true), 0);
  });

  it('--dry-run shows the plan and applies nothing', async () => {
    const applied: string[] = [];
    const { ctx, out, err } = fakeContext({ dryRun: true });
    const plan = createPlan(changing(applied));
    assert.equal(await applyPlan(ctx, plan, { dryRun: true, rerun: 'r', confirm: never }), 0);
    assert.match(out.join('\n'), /Plan: 1 to create, 0 to update, 0 to delete\./);
    assert.match(err.join('\n'), /Dry run: nothing was changed/);
    assert.deepEqual(applied, []);
    assert.equal(planExitCode(plan, true), 2);
    assert.equal(planExitCode(plan, false), 0);
  });

  it('no terminal and no --yes: refuses with the fix, applies nothing', async () => {
    const applied: string[] = [];
    const { ctx } = fakeContext();
    await assert.rejects(
      applyPlan(ctx, createPlan(changing(applied)), { dryRun: false, rerun: 'r', confirm: never }),
      (e: unknown) => e instanceof UserError && /pass --yes/.test(e.message),
    );
    assert.deepEqual(applied, []);
  });

  it('on a terminal, a "no" changes nothing and exits 1; a "yes" applies', async () => {
    const applied: string[] = [];
    const declined = fakeContext({}, true);
    assert.equal(await applyPlan(declined.ctx, createPlan(changing(applied)), { dryRun: false, rerun: 'r', confirm: async () => false }), 1);
    assert.deepEqual(applied, []);
    assert.match(declined.err.join('\n'), /Nothing was changed/);
    const accepted = fakeContext({}, false);
    accepted.ctx.options.yes = true;
    assert.equal(await applyPlan(accepted.ctx, createPlan(changing(applied)), { dryRun: false, rerun: 'r', confirm: never }), 0);
    assert.deepEqual(applied, ['auth.role-b'], 'the noop did not run');
    assert.match(accepted.err.join('\n'), /auth\.role-b: Create role \.\.\./);
    assert.match(accepted.err.join('\n'), /Apply complete: 1 actions done/);
  });

  it('a failure prints what was done, what failed and how to resume; exit 1', async () => {
    const { ctx, err } = fakeContext({ yes: true });
    const plan = createPlan([
      { id: 'network.peering', step: 'network', account: 'A', title: 'Create peering', change: 'create', apply: async () => ({ id: 'pcc-1' }) },
      {
        id: 'network.routes',
        step: 'network',
        account: 'A',
        title: 'Create routes',
        change: 'create',
        dependsOn: ['network.peering'],
        apply: async () => {
          throw Object.assign(new Error('The specified route entry already exists.'), { code: 'RouteEntryConflict.Duplicated' });
        },
      },
    ]);
    assert.equal(await applyPlan(ctx, plan, { dryRun: false, rerun: 'acr-xaccount apply --step network', confirm: never }), 1);
    const text = err.join('\n');
    assert.match(text, /1 of 2 actions done, 1 failed/);
    assert.match(text, /Failed: network\.routes .*RouteEntryConflict\.Duplicated: The specified route entry already exists\./);
    assert.match(text, /run `acr-xaccount apply --step network` again/);
  });

  it('--json prints the plan as JSON only', async () => {
    const { ctx, out } = fakeContext({ json: true, dryRun: true });
    await applyPlan(ctx, createPlan(changing([])), { dryRun: true, rerun: 'r', confirm: never });
    assert.equal(out.length, 1);
    assert.equal(JSON.parse(out[0]!).summary.create, 1);
  });
});

describe('plain reporter', () => {
  it('prints a progress line only when the text changes', () => {
    const lines: string[] = [];
    const reporter = new PlainReporter((l) => lines.push(l));
    const action = { id: 'auth.rrsa', step: 'auth', account: 'A', title: 'Enable RRSA', change: 'wait' } as const;
    reporter.start(action);
    for (const state of ['running', 'running', 'running', 'success']) reporter.update(action, `task ${state}`);
    assert.deepEqual(lines, ['auth.rrsa: Enable RRSA ...', 'auth.rrsa: task running', 'auth.rrsa: task success']);
  });
});

describe('spinner reporter on a terminal', () => {
  it('shows each running action, and a line per finished one', async () => {
    let screen = '';
    const stream = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          screen += chunk.toString();
          done();
        },
      }),
      { isTTY: true, columns: 120, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true },
    ) as unknown as NodeJS.WriteStream;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const reporter = new SpinnerReporter(stream, new Chalk({ level: 0 }));
    const running = executePlan(
      createPlan([
        { id: 'a', step: 'network', account: 'A', title: 'Create peering', change: 'create', apply: () => gate },
        { id: 'b', step: 'auth', account: 'B', title: 'Create role B', change: 'create', apply: () => gate },
        { id: 'c', step: 'auth', account: 'B', title: 'Attach policy', change: 'create', dependsOn: ['b'] },
      ]),
      { reporter },
    );
    await new Promise((r) => setTimeout(r, 150));
    assert.match(screen, /Create peering/);
    assert.match(screen, /Create role B/, 'both concurrent actions are on screen at once');
    assert.doesNotMatch(screen, /Attach policy/, 'not started before its dependency');
    release();
    const result = await running;
    assert.equal(result.ok, true);
    assert.match(screen, /✔ Create peering/);
    assert.match(screen, /✔ Attach policy/);
  });
});
