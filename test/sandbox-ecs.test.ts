// The simulated ECS and Cloud Assistant through the project's real client (src/cloud/ecs.ts): instances, agent
// status, security groups, and RunCommand resolving names and rewriting our /etc/hosts block on the instances.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import * as ecsClient from '../src/cloud/ecs.js';
import { sdkCaller, sdkRequest } from '../src/cloud/sdk-call.js';
import { Cloud, type AccountClient } from '../src/cloud/session.js';
import type { CallContext } from '../src/sandbox/api.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { ecs } from '../src/sandbox/products/ecs.js';
import { loadSpecs, validateResponse } from '../src/sandbox/spec.js';
import { seedRegistry, type SeededRegistry } from '../src/sandbox/state/cr.js';
import { ecsState, HOSTS_BLOCK_BEGIN, HOSTS_BLOCK_END, seedInstance, type EcsInstanceRecord } from '../src/sandbox/state/ecs.js';
import { hostsLookup } from '../src/sandbox/state/ecs-shell.js';
import { seedZone, seedZoneRecord } from '../src/sandbox/state/pvtz.js';
import { vpcState } from '../src/sandbox/state/vpc.js';
import { World } from '../src/sandbox/world.js';
import { staticCredential } from './helpers/fake-cloud.js';

const FAST = { maxAttempts: 2, maxElapsedMs: 5_000, baseDelayMs: 1, maxDelayMs: 2 };
const REGION = 'cn-hangzhou';
const sdkEcs = sdkCaller('ecs');

let sandbox: RunningSandbox;
let acme: SeededRegistry;
let A: AccountClient;
let B: AccountClient;
let probe: EcsInstanceRecord;
let noAgent: EcsInstanceRecord;
let stopped: EcsInstanceRecord;
let node: EcsInstanceRecord;

before(async () => {
  sandbox = await startSandbox({ ephemeral: true, scenario: 'bare' });
  const world = sandbox.world;
  const [a, b] = [sandbox.accounts.A.accountId, sandbox.accounts.B.accountId];
  const vpcB = String(sandbox.meta.facts.vpcB);
  const vpcA = String(sandbox.meta.facts.vpcA);
  const vswB = Object.values(vpcState(world, b).vswitches).find((v) => v.vpcId === vpcB)!;
  const vswA = Object.values(vpcState(world, a).vswitches).find((v) => v.vpcId === vpcA)!;
  // Seeded with a linked VPC, as a console user would have done it (with cr's PrivateZone record).
  acme = seedRegistry(world, b, { regionId: REGION, name: 'acme', vpcId: vpcB, repositories: [{ namespace: 'team', name: 'app', tags: ['v1'] }] });
  const inB = (name: string, ip: string, extra: Partial<EcsInstanceRecord> = {}) =>
    seedInstance(world, b, { regionId: REGION, zoneId: vswB.zoneId, vpcId: vpcB, vSwitchId: vswB.vSwitchId, privateIp: ip, name, cloudAssistant: true, ...extra });
  probe = inB('probe', '172.16.0.10');
  noAgent = inB('no-agent', '172.16.0.11', { cloudAssistant: false });
  stopped = inB('stopped', '172.16.0.12', { status: 'Stopped' });
  node = seedInstance(world, a, {
    regionId: REGION,
    zoneId: vswA.zoneId,
    vpcId: vpcA,
    vSwitchId: vswA.vSwitchId,
    privateIp: '192.168.0.20',
    name: 'node-1',
    cloudAssistant: true,
    clusterId: 'c1234567890',
    hosts: ['127.0.0.1 localhost', '::1 localhost', '192.168.0.20 node-1 node-1.cluster'],
  });
  const cloud = new Cloud({
    endpoints: Object.fromEntries(['ram', 'vpc', 'cs', 'sts', 'ims', 'ecs', 'cr', 'cbn', 'vpcpeer', 'pvtz'].map((p) => [p, { endpoint: sandbox.endpoint, protocol: 'http' as const }])),
    retry: FAST,
  });
  cloud.addAccount('A', REGION, staticCredential(sandbox.accounts.A.accessKeyId, sandbox.accounts.A.accessKeySecret));
  cloud.addAccount('B', REGION, staticCredential(sandbox.accounts.B.accessKeyId, sandbox.accounts.B.accessKeySecret));
  A = cloud.account('A');
  B = cloud.account('B');
});
after(() => sandbox.close());

/** Runs a script and polls its invocation until every instance finished; returns each poll's overall status too. */
async function run(acct: AccountClient, instanceIds: string[], script: string) {
  const { invokeId } = await ecsClient.runCommand(acct, { instanceIds, commandContent: script, timeoutSeconds: 30, name: 'acr-xaccount-test' });
  const statuses: string[] = [];
  for (let i = 0; i < 10; i++) {
    const [invocation] = await ecsClient.describeInvocations(acct, { invokeId });
    statuses.push(invocation!.invocationStatus);
    if (!['Pending', 'Running'].includes(invocation!.invocationStatus)) return { invokeId, invocation: invocation!, statuses };
  }
  throw new Error('invocation never finished');
}

describe('sandbox ecs: instances, agents, security groups', () => {
  it('DescribeInstances filters by VPC and by InstanceIds, and pages by NextToken', async () => {
    const inB = await ecsClient.describeInstances(B, { vpcId: String(sandbox.meta.facts.vpcB) });
    assert.deepEqual(inB.map((i) => i.instanceName).sort(), ['no-agent', 'probe', 'stopped']);
    const [one] = await ecsClient.describeInstances(B, { instanceIds: [probe.instanceId] });
    assert.equal(one!.privateIps[0], '172.16.0.10');
    assert.equal(one!.status, 'Running');
    assert.equal(one!.vSwitchId, probe.vSwitchId);
    assert.deepEqual(await ecsClient.describeInstances(A, { instanceIds: [probe.instanceId] }), [], "A does not see B's instances");

    const page = (params: Record<string, unknown>) =>
      sdkEcs(B, { action: 'DescribeInstances', params }, (c, m, rt) => c.describeInstancesWithOptions(sdkRequest(m.DescribeInstancesRequest, params), rt));
    const first = await page({ RegionId: REGION, MaxResults: 2 });
    assert.equal(first.body?.instances?.instance?.length, 2);
    assert.equal(first.body?.totalCount, 3);
    const second = await page({ RegionId: REGION, MaxResults: 2, NextToken: first.body?.nextToken });
    assert.equal(second.body?.instances?.instance?.length, 1);
    assert.ok(!second.body?.nextToken);
    await assert.rejects(page({ RegionId: REGION, InstanceIds: 'i-not-json' }), { code: 'InvalidParameter' });
    await assert.rejects(page({ RegionId: REGION, Status: 'Sleeping' }), { code: 'InvalidStatus.NotFound' });
  });

  it('DescribeCloudAssistantStatus tells online agents from missing ones and stopped instances', async () => {
    const statuses = await ecsClient.describeCloudAssistantStatus(B, [probe.instanceId, noAgent.instanceId, stopped.instanceId]);
    assert.deepEqual(
      statuses.map((s) => [s.instanceId, s.online]),
      [
        [probe.instanceId, true],
        [noAgent.instanceId, false],
        [stopped.instanceId, false],
      ],
    );
    assert.ok(statuses[0]!.lastHeartbeatTime);
    await assert.rejects(ecsClient.describeCloudAssistantStatus(B, ['i-nope']), { code: 'InvalidInstance.NotFound' });
  });

  it("DescribeSecurityGroupAttribute shows the instance's group rules", async () => {
    const groupId = probe.securityGroupIds![0]!;
    const params = { RegionId: REGION, SecurityGroupId: groupId };
    const res = await sdkEcs(B, { action: 'DescribeSecurityGroupAttribute', params }, (c, m, rt) =>
      c.describeSecurityGroupAttributeWithOptions(sdkRequest(m.DescribeSecurityGroupAttributeRequest, params), rt),
    );
    const rules = res.body?.permissions?.permission ?? [];
    assert.equal(res.body?.vpcId, String(sandbox.meta.facts.vpcB));
    assert.deepEqual(rules.map((r) => [r.direction, r.ipProtocol, r.destCidrIp || r.sourceCidrIp]), [
      ['ingress', 'ALL', '172.16.0.0/16'],
      ['egress', 'ALL', '0.0.0.0/0'],
    ]);
    const missing = { RegionId: REGION, SecurityGroupId: 'sg-nope' };
    await assert.rejects(
      sdkEcs(B, { action: 'DescribeSecurityGroupAttribute', params: missing }, (c, m, rt) => c.describeSecurityGroupAttributeWithOptions(sdkRequest(m.DescribeSecurityGroupAttributeRequest, missing), rt)),
      { code: 'InvalidSecurityGroupId.NotFound' },
    );
  });
});

describe('sandbox ecs: Cloud Assistant resolves names as the instance sees them', () => {
  it("resolves the registry's VPC domain, the auth service and OSS from B's linked VPC; Running before Success", async () => {
    const script = [`getent hosts ${acme.domains.vpc}`, `getent hosts ${acme.authDomain}`, `getent hosts ${acme.ossDomain}`].join('\n');
    const { invocation, statuses } = await run(B, [probe.instanceId], script);
    assert.deepEqual(statuses, ['Running', 'Success']);
    const result = invocation.instances[0]!;
    assert.equal(result.exitCode, 0);
    assert.equal(result.invocationStatus, 'Success');
    assert.equal(invocation.commandContent, script);
    const lines = result.output.trim().split('\n');
    assert.equal(lines[0], `172.16.0.252    ${acme.domains.vpc}`);
    assert.equal(lines[1], `${acme.authIp.padEnd(15)} ${acme.authDomain}`);
    assert.equal(lines[2], `${acme.ossIp.padEnd(15)} ${acme.ossDomain}`);
  });

  it('answers nslookup and dig +short like the real tools, and unknown names and commands like a shell', async () => {
    const ns = await run(B, [probe.instanceId], `nslookup ${acme.authDomain}`);
    assert.equal(ns.invocation.instances[0]!.output, `Server:\t\t100.100.2.136\nAddress:\t100.100.2.136#53\n\nNon-authoritative answer:\nName:\t${acme.authDomain}\nAddress: ${acme.authIp}\n\n`);
    const dig = await run(B, [probe.instanceId], `dig +short ${acme.ossDomain}`);
    assert.equal(dig.invocation.instances[0]!.output, `${acme.ossIp}\n`);

    const missing = await run(B, [probe.instanceId], 'getent hosts nothing.example.internal');
    assert.deepEqual([missing.invocation.instances[0]!.exitCode, missing.invocation.instances[0]!.output, missing.invocation.invocationStatus], [2, '', 'Failed']);
    assert.equal(missing.invocation.instances[0]!.errorCode, 'ExitCodeNonzero');
    const nx = await run(B, [probe.instanceId], 'nslookup nothing.example.internal');
    assert.equal(nx.invocation.instances[0]!.exitCode, 1);
    assert.match(nx.invocation.instances[0]!.output, /\*\* server can't find nothing\.example\.internal: NXDOMAIN\n/);
    const digMissing = await run(B, [probe.instanceId], 'dig +short nothing.example.internal');
    assert.deepEqual([digMissing.invocation.instances[0]!.exitCode, digMissing.invocation.instances[0]!.output], [0, '']);
    const unknown = await run(B, [probe.instanceId], 'curl -s https://example.com');
    assert.equal(unknown.invocation.instances[0]!.exitCode, 127);
    assert.match(unknown.invocation.instances[0]!.output, /: line 1: curl: command not found\n$/);
    const tolerant = await run(B, [probe.instanceId], 'getent hosts nothing.example.internal || true');
    assert.equal(tolerant.invocation.instances[0]!.exitCode, 0);
  });

  it("writes our hosts block (twice: one block), getent then uses it but nslookup does not; an empty block removes it", async () => {
    const entry = `172.16.0.252 ${acme.domains.vpc}`;
    const script = (lines: string[]) =>
      [
        'set -e',
        `tmp=$(mktemp)`,
        `sed '/^${HOSTS_BLOCK_BEGIN}$/,/^${HOSTS_BLOCK_END}$/d' /etc/hosts > "$tmp"`,
        `cat >> "$tmp" <<'EOF'`,
        HOSTS_BLOCK_BEGIN,
        ...lines,
        HOSTS_BLOCK_END,
        'EOF',
        'cat "$tmp" > /etc/hosts',
      ].join('\n');
    for (let i = 0; i < 2; i++) assert.equal((await run(A, [node.instanceId], script([entry]))).invocation.instances[0]!.exitCode, 0);
    const hosts = (await run(A, [node.instanceId], 'cat /etc/hosts')).invocation.instances[0]!.output;
    assert.equal(hosts, ['127.0.0.1 localhost', '::1 localhost', '192.168.0.20 node-1 node-1.cluster', HOSTS_BLOCK_BEGIN, entry, HOSTS_BLOCK_END, ''].join('\n'));
    const viaHosts = await run(A, [node.instanceId], `getent hosts ${acme.domains.vpc}`);
    assert.equal(viaHosts.invocation.instances[0]!.output, `172.16.0.252    ${acme.domains.vpc}\n`);
    const viaDns = await run(A, [node.instanceId], `nslookup ${acme.domains.vpc}`);
    assert.equal(viaDns.invocation.instances[0]!.exitCode, 1, "A's VPC has no record for the registry: nslookup skips /etc/hosts");
    const aliases = await run(A, [node.instanceId], 'getent hosts node-1.cluster localhost');
    assert.equal(aliases.invocation.instances[0]!.output, '192.168.0.20    node-1 node-1.cluster\n::1             localhost\n');

    await run(A, [node.instanceId], script([]));
    assert.deepEqual(ecsState(sandbox.world, sandbox.accounts.A.accountId).instances[node.instanceId]!.hosts, ['127.0.0.1 localhost', '::1 localhost', '192.168.0.20 node-1 node-1.cluster']);
    assert.equal(hostsLookup(['10.0.0.1 a b', '10.0.0.2 b'], 'B')?.addresses.join(), '10.0.0.1,10.0.0.2');
  });

  it("resolves through a PrivateZone zone bound to the instance's VPC; a zone over a parent domain hides other names", async () => {
    const a = sandbox.accounts.A.accountId;
    const bindings = [{ vpcId: node.vpcId, regionId: REGION, vpcOwnerId: a }];
    const zone = seedZone(sandbox.world, a, { zoneName: acme.domains.vpc, bindings });
    seedZoneRecord(sandbox.world, zone, { rr: '@', value: '172.16.0.252' });
    const ns = await run(A, [node.instanceId], `nslookup ${acme.domains.vpc}`);
    assert.equal(ns.invocation.instances[0]!.output, `Server:\t\t100.100.2.136\nAddress:\t100.100.2.136#53\n\nName:\t${acme.domains.vpc}\nAddress: 172.16.0.252\n\n`);
    const before = await run(A, [node.instanceId], `dig +short ${acme.authDomain}`);
    assert.equal(before.invocation.instances[0]!.output, `${acme.authIp}\n`);
    seedZone(sandbox.world, a, { zoneName: 'aliyuncs.com', bindings });
    const hidden = await run(A, [node.instanceId], `dig +short ${acme.authDomain}`);
    assert.equal(hidden.invocation.instances[0]!.output, '', 'a ZONE-mode zone over aliyuncs.com answers NXDOMAIN for names it lacks');
    const stillThere = await run(A, [node.instanceId], `dig +short ${acme.domains.vpc}`);
    assert.equal(stillThere.invocation.instances[0]!.output, '172.16.0.252\n', 'the most specific zone wins');
  });

  it('runs Base64 content; per-instance results via DescribeInvocationResults', async () => {
    const params = {
      RegionId: REGION,
      Type: 'RunShellScript',
      CommandContent: Buffer.from(`getent hosts ${acme.authDomain}`).toString('base64'),
      ContentEncoding: 'Base64',
      InstanceId: [probe.instanceId],
    };
    const res = await sdkEcs(B, { action: 'RunCommand', params }, (c, m, rt) => c.runCommandWithOptions(sdkRequest(m.RunCommandRequest, params), rt));
    const invokeId = res.body!.invokeId!;
    assert.match(invokeId, /^t-/);
    let results = await ecsClient.describeInvocationResults(B, { invokeId });
    while (results[0]!.invokeRecordStatus === 'Running') results = await ecsClient.describeInvocationResults(B, { invokeId });
    assert.equal(results[0]!.invokeRecordStatus, 'Finished');
    assert.equal(results[0]!.output, `${acme.authIp.padEnd(15)} ${acme.authDomain}\n`);
  });
});

describe('sandbox ecs: refusals', () => {
  it('an instance without the agent, or stopped, gets an Aborted invocation with the real error code', async () => {
    const { invocation } = await run(B, [noAgent.instanceId, stopped.instanceId], 'cat /etc/hosts');
    assert.equal(invocation.invocationStatus, 'Failed');
    assert.deepEqual(
      invocation.instances.map((i) => [i.instanceId, i.invocationStatus, i.errorCode]),
      [
        [noAgent.instanceId, 'Aborted', 'ClientNotRunning'],
        [stopped.instanceId, 'Aborted', 'InstanceNotRunning'],
      ],
    );
    const mixed = await run(B, [probe.instanceId, noAgent.instanceId], 'cat /etc/hosts');
    assert.equal(mixed.invocation.invocationStatus, 'PartialFailed');
  });

  it('refuses unknown or foreign instances, bad Base64, Windows script types and unknown types', async () => {
    await assert.rejects(ecsClient.runCommand(B, { instanceIds: ['i-nope'], commandContent: 'cat /etc/hosts' }), { code: 'InvalidInstance.NotFound' });
    await assert.rejects(ecsClient.runCommand(A, { instanceIds: [probe.instanceId], commandContent: 'cat /etc/hosts' }), { code: 'InvalidInstance.NotFound' });
    const send = (extra: Record<string, unknown>) => {
      const params = { RegionId: REGION, Type: 'RunShellScript', CommandContent: 'cat /etc/hosts', InstanceId: [probe.instanceId], ...extra };
      return sdkEcs(B, { action: 'RunCommand', params }, (c, m, rt) => c.runCommandWithOptions(sdkRequest(m.RunCommandRequest, params), rt));
    };
    await assert.rejects(send({ ContentEncoding: 'Base64', CommandContent: 'not base64!' }), { code: 'CmdContent.DecodeError' });
    await assert.rejects(send({ Type: 'RunBatScript' }), { code: 'InvalidInstance.NotMatch' });
    await assert.rejects(send({ Type: 'RunPerlScript' }), { code: 'InvalidCmdType.NotFound' });
    await assert.rejects(send({ InstanceId: [] }), { code: 'MissingParam.InstanceId' });
    // 13,900 bytes are 18,536 in Base64, over the 18 KB limit (and still under Node's 16 KB header limit in the query).
    await assert.rejects(send({ CommandContent: 'x'.repeat(13_900) }), { code: 'CmdContent.ExceedLimit' });
  });
});

describe('sandbox ecs: state and shapes', () => {
  it('survives a save and reload', () => {
    const copy = new World(JSON.parse(JSON.stringify(sandbox.world.data)));
    assert.deepEqual(ecsState(copy, sandbox.accounts.B.accountId), ecsState(sandbox.world, sandbox.accounts.B.accountId));
  });

  it('every handler answers in the spec shape', async () => {
    const spec = loadSpecs().product('ecs')!;
    const b = sandbox.accounts.B.accountId;
    const ctx = (action: string): CallContext => ({
      world: sandbox.world,
      caller: { accountId: b, type: 'root', arn: `acs:ram::${b}:root`, accessKeyId: sandbox.accounts.B.accessKeyId },
      product: 'ecs',
      action,
      region: REGION,
      requestId: 'TEST-REQUEST',
      baseUrl: sandbox.url,
    });
    const run = (await ecs.rpc!.RunCommand!(ctx('RunCommand'), { RegionId: REGION, Type: 'RunShellScript', CommandContent: 'cat /etc/hosts', InstanceId: [probe.instanceId, noAgent.instanceId] })) as {
      InvokeId: string;
    };
    sandbox.world.advance(60_000);
    const cases: [string, Record<string, unknown>][] = [
      ['RunCommand', { RegionId: REGION, Type: 'RunShellScript', CommandContent: 'getent hosts x', InstanceId: [probe.instanceId] }],
      ['DescribeInstances', { RegionId: REGION }],
      ['DescribeInstances', { RegionId: REGION, MaxResults: 1 }],
      ['DescribeCloudAssistantStatus', { RegionId: REGION, InstanceId: [probe.instanceId, noAgent.instanceId] }],
      ['DescribeSecurityGroupAttribute', { RegionId: REGION, SecurityGroupId: probe.securityGroupIds![0] }],
      ['DescribeInvocations', { RegionId: REGION, InvokeId: run.InvokeId, IncludeOutput: true }],
      ['DescribeInvocations', { RegionId: REGION }],
      ['DescribeInvocationResults', { RegionId: REGION, InvokeId: run.InvokeId, ContentEncoding: 'PlainText' }],
    ];
    const covered = new Set<string>();
    for (const [action, params] of cases) {
      const body = (await ecs.rpc![action]!(ctx(action), params)) as Record<string, unknown>;
      assert.deepEqual(validateResponse(spec.apis[action]!, { ...body, RequestId: 'TEST-REQUEST' }), [], `${action} ${JSON.stringify(body).slice(0, 400)}`);
      covered.add(action);
    }
    assert.deepEqual([...covered].sort(), Object.keys(spec.apis).sort());
  });
});
