import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fieldChange, knownAfterApply, sensitive, type Action, type ChangeKind } from '../src/plan/action.js';
import { executePlan, type ProgressReporter } from '../src/plan/execute.js';
import { createPlan, hasChanges, inSequence, orderActions, summarize } from '../src/plan/plan.js';
import { describeFailure } from '../src/plan/progress.js';
import { planToJson, renderPlanText } from '../src/plan/render.js';

function action(id: string, change: ChangeKind = 'create', dependsOn: string[] = [], apply?: Action['apply']): Action {
  return { id, step: 'auth', account: 'B', title: `do ${id}`, change, dependsOn, apply: apply ?? (async () => {}) };
}

class RecordingReporter implements ProgressReporter {
  events: string[] = [];
  start(a: Action) { this.events.push(`start ${a.id}`); }
  update(a: Action, text: string) { this.events.push(`update ${a.id} ${text}`); }
  succeed(a: Action) { this.events.push(`ok ${a.id}`); }
  fail(a: Action) { this.events.push(`fail ${a.id}`); }
  close() { this.events.push('close'); }
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ordering', () => {
  it('puts dependencies first and keeps the planners order otherwise', () => {
    const ordered = orderActions([action('c', 'create', ['b']), action('d'), action('b', 'create', ['a']), action('a')]);
    assert.deepEqual(ordered.map((a) => a.id), ['d', 'a', 'b', 'c']);
  });
  it('refuses cycles, unknown dependencies and duplicate IDs', () => {
    assert.throws(() => orderActions([action('a', 'create', ['b']), action('b', 'create', ['a'])]), /cycle among a, b/);
    assert.throws(() => orderActions([action('a', 'create', ['zz'])]), /unknown action "zz"/);
    assert.throws(() => orderActions([action('a'), action('a')]), /share the ID "a"/);
  });
  it('runs groups in sequence (destroy: later steps first): a change waits for every change of the groups before', async () => {
    const groups = [[action('v1', 'delete')], [action('k', 'noop'), action('a1', 'delete'), action('a2', 'delete', ['a1'])], [action('n1', 'delete')]];
    const chained = inSequence(groups);
    const deps = Object.fromEntries(chained.map((a) => [a.id, a.dependsOn ?? []]));
    assert.deepEqual(deps, { v1: [], k: [], a1: ['v1'], a2: ['a1', 'v1'], n1: ['v1', 'a1', 'a2'] });
    assert.deepEqual(groups[1]![2]!.dependsOn, ['a1'], 'the planners\' actions are not mutated');
    const reporter = new RecordingReporter();
    await executePlan(createPlan(chained), { reporter, concurrency: 4 });
    const started = reporter.events.filter((e) => e.startsWith('start')).map((e) => e.slice(6));
    assert.deepEqual(started, ['v1', 'a1', 'a2', 'n1']);
  });
});

describe('execution', () => {
  it('runs independent branches concurrently, within the limit, dependencies first', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const log: string[] = [];
    const work = (id: string): Action['apply'] => async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      log.push(`+${id}`);
      await tick();
      log.push(`-${id}`);
      inFlight--;
    };
    const plan = createPlan([
      action('a1', 'create', [], work('a1')),
      action('a2', 'create', ['a1'], work('a2')),
      action('b1', 'create', [], work('b1')),
      action('b2', 'create', ['b1'], work('b2')),
      action('c1', 'create', [], work('c1')),
      action('join', 'create', ['a2', 'b2'], work('join')),
    ]);
    const result = await executePlan(plan, { reporter: new RecordingReporter(), concurrency: 2 });
    assert.equal(result.ok, true);
    assert.equal(maxInFlight, 2, 'never more than the limit, and more than one at a time');
    assert.ok(log.indexOf('+a1') < log.indexOf('-b1') && log.indexOf('+b1') < log.indexOf('-a1'), 'a1 and b1 overlapped');
    for (const [before, after] of [['a1', 'a2'], ['b1', 'b2'], ['a2', 'join'], ['b2', 'join']]) {
      assert.ok(log.indexOf(`-${before}`) < log.indexOf(`+${after}`), `${before} finished before ${after} started`);
    }
  });

  it('passes outputs to dependents, and refuses reading an undeclared one', async () => {
    let seen: unknown;
    const plan = createPlan([
      action('peering', 'create', [], async () => ({ peeringId: 'pcc-123' })),
      action('route', 'create', ['peering'], async (ctx) => {
        seen = ctx.output<{ peeringId: string }>('peering').peeringId;
      }),
      action('other', 'create', ['route'], async (ctx) => {
        ctx.output('peering');
      }),
    ]);
    const result = await executePlan(plan, { reporter: new RecordingReporter() });
    assert.equal(seen, 'pcc-123');
    assert.equal(result.failed[0]?.action.id, 'other');
    assert.match(String(result.failed[0]?.error), /without depending on it/);
  });

  it('skips noops, stops starting work after a failure, lets running work finish', async () => {
    const reporter = new RecordingReporter();
    let slowFinished = false;
    const plan = createPlan([
      action('done-already', 'noop', [], async () => assert.fail('a noop must not run')),
      action('slow', 'create', [], async () => {
        await tick();
        await tick();
        slowFinished = true;
      }),
      action('broken', 'create', ['done-already'], async () => {
        throw Object.assign(new Error('The role already exists.'), { code: 'EntityAlreadyExists.Role', requestId: 'req-9' });
      }),
      action('after-broken', 'create', ['broken']),
      action('after-slow', 'create', ['slow']),
    ]);
    const result = await executePlan(plan, { reporter, concurrency: 4 });
    assert.equal(result.ok, false);
    assert.equal(slowFinished, true);
    assert.deepEqual(result.done.map((a) => a.id), ['slow']);
    assert.deepEqual(result.notStarted.map((a) => a.id).sort(), ['after-broken', 'after-slow']);
    assert.ok(!reporter.events.includes('start done-already'));
    assert.equal(reporter.events.at(-1), 'close');
    const message = describeFailure(result, 'acr-xaccount apply --step auth');
    assert.match(message, /^Apply stopped: 1 of 4 actions done, 1 failed, 2 not started/);
    assert.match(describeFailure(result, 'acr-xaccount destroy', 'Destroy'), /^Destroy stopped: 1 of 4 actions done[\s\S]*run `acr-xaccount destroy` again/);
    assert.match(message, /Failed: broken \(do broken, account B\): EntityAlreadyExists\.Role: The role already exists\. \(RequestId req-9\)/);
    assert.match(message, /run `acr-xaccount apply --step auth` again: it finds what is already done and resumes/);
  });

  it('reports progress updates from a running action', async () => {
    const reporter = new RecordingReporter();
    await executePlan(createPlan([action('rrsa', 'wait', [], async (ctx) => ctx.progress('task running, 40%'))]), { reporter });
    assert.ok(reporter.events.includes('update rrsa task running, 40%'));
  });
});

describe('rendering', () => {
  const plan = createPlan(
    [
      { id: 'network.peering', step: 'network', account: 'A', title: 'Create VPC peering vpc-a -> vpc-b', change: 'create', detail: { AcceptingVpcId: 'vpc-b', InstanceId: knownAfterApply() } },
      { id: 'network.accept', step: 'network', account: 'B', title: 'Accept the peering', change: 'wait', dependsOn: ['network.peering'] },
      { id: 'auth.role-b', step: 'auth', account: 'B', title: 'Update role acr-xaccount-puller', change: 'update', detail: { MaxSessionDuration: fieldChange(3600, 7200) } },
      { id: 'auth.user-key', step: 'auth', account: 'B', title: 'Create AccessKey for acr-xaccount-puller', change: 'create', detail: { AccessKeySecret: sensitive('s3cr3t-value-never-shown') } },
      { id: 'auth.policy', step: 'auth', account: 'B', title: 'Policy acr-xaccount-pull', change: 'noop' },
      { id: 'auth.old', step: 'auth', account: 'B', title: 'Delete old key', change: 'delete' },
    ],
    ['RRSA will be enabled on the cluster.'],
  );

  it('renders Terraform-style text grouped by step and account', () => {
    const text = renderPlanText(plan, { color: false, accounts: { A: 'account A 1234****5678' } });
    assert.match(text, /^network · account A 1234\*\*\*\*5678$/m);
    assert.match(text, /^network · account B$/m);
    assert.match(text, /^ {2}\+ create Create VPC peering vpc-a -> vpc-b \(network\.peering\)$/m);
    assert.match(text, /InstanceId = \(known after apply\)/);
    assert.match(text, /~ update Update role acr-xaccount-puller/);
    assert.match(text, /MaxSessionDuration = 3600 -> 7200/);
    assert.match(text, /- delete Delete old key/);
    assert.match(text, /> wait {3}Accept the peering/);
    assert.match(text, /1 unchanged: auth\.policy/);
    assert.doesNotMatch(text, /Policy acr-xaccount-pull/, 'unchanged actions are collapsed');
    assert.match(text, /AccessKeySecret = \(sensitive value\)/);
    assert.doesNotMatch(text, /s3cr3t/);
    assert.match(text, /Note: RRSA will be enabled/);
    assert.match(text, /Plan: 2 to create, 1 to update, 1 to delete\. 1 to wait for\.$/);
    assert.doesNotMatch(text, /\x1b\[/, 'no colour codes when colour is off');
    assert.match(renderPlanText(plan, { color: true }), /\x1b\[32m\+ create/);
  });

  it('says "No changes" for a finished setup, even with a check (the test pull) to run', () => {
    const done = createPlan([action('a', 'noop'), action('b', 'noop'), action('verify.pull', 'check')]);
    assert.equal(hasChanges(done), false);
    assert.match(renderPlanText(done, { color: false }), /\? check {2}do verify\.pull/);
    assert.match(renderPlanText(done, { color: false }), /No changes\. The setup matches the configuration\.$/);
  });

  it('lists what a teardown keeps, each with its title, and says when nothing is left to remove', () => {
    const kept = { ...action('network.destroy.link', 'noop'), title: 'Keep the registry link (others may pull through it)' };
    const teardown = createPlan([action('auth.destroy.role', 'delete'), kept], [], { teardown: true });
    const text = renderPlanText(teardown, { color: false });
    assert.match(text, /- delete +do auth\.destroy\.role/);
    assert.match(text, /= Keep the registry link \(others may pull through it\) \(network\.destroy\.link\)/);
    assert.doesNotMatch(text, /unchanged:/);
    assert.equal((planToJson(teardown) as { purpose?: string }).purpose, 'destroy');
    const finished = createPlan([kept], [], { teardown: true });
    assert.match(renderPlanText(finished, { color: false }), /No changes\. Nothing made by acr-xaccount is left to remove\.$/);
    assert.equal((planToJson(createPlan([kept])) as { purpose?: string }).purpose, undefined, 'an apply plan has no purpose field');
  });

  it('renders stable JSON with markers for unknown and sensitive values', () => {
    const json = planToJson(plan) as any;
    const text = JSON.stringify(json);
    assert.doesNotMatch(text, /s3cr3t/);
    assert.equal(json.formatVersion, 1);
    assert.equal(json.changes, true);
    assert.deepEqual(json.summary, { create: 2, update: 1, delete: 1, wait: 1, check: 0, noop: 1 });
    assert.deepEqual(Object.keys(json.actions[0]), ['id', 'step', 'account', 'change', 'title', 'dependsOn', 'detail']);
    const peering = json.actions.find((a: any) => a.id === 'network.peering');
    assert.deepEqual(peering.detail, { AcceptingVpcId: 'vpc-b', InstanceId: { knownAfterApply: true } });
    const key = json.actions.find((a: any) => a.id === 'auth.user-key');
    assert.deepEqual(key.detail, { AccessKeySecret: { sensitive: true } });
    const role = json.actions.find((a: any) => a.id === 'auth.role-b');
    assert.deepEqual(role.detail, { MaxSessionDuration: { before: 3600, after: 7200 } });
    assert.deepEqual(summarize(plan).noop, 1);
  });

  it('never leaks a sensitive value through inspection or JSON.stringify', async () => {
    const { inspect } = await import('node:util');
    const s = sensitive('another-secret-1234');
    assert.doesNotMatch(inspect({ s }, { depth: 5 }), /another-secret/);
    assert.doesNotMatch(JSON.stringify({ s }), /another-secret/);
    assert.doesNotMatch(`${s}`, /another-secret/);
    assert.equal(s.reveal(), 'another-secret-1234');
  });
});
