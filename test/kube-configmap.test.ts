// src/kube: the acr-configuration merge (pure), and ConfigMap writes and pod restarts through the real
// @kubernetes/client-node against the sandbox's Kubernetes API.
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  findRegistryEntry,
  helperPods,
  mergeHelperData,
  mergeRegistryInfo,
  parseRegistryInfo,
  readHelperConfig,
  RegistryInfoError,
  restartHelperPods,
  sameRegistryEntry,
  writeHelperConfig,
} from '../src/kube/acr-configuration.js';
import { kubeClient } from '../src/kube/client.js';
import { updateConfigMap } from '../src/kube/configmap.js';
import type { RunningSandbox } from '../src/sandbox/index.js';
import { kubeStore } from '../src/sandbox/kube/index.js';
import { ensureHelperWorkload } from '../src/sandbox/pull-helper.js';
import { redact } from '../src/secrets.js';
import { clusterApi } from './helpers/sandbox-network.js';

const OTHER = '# entries of other teams\n- instanceId: "cri-otherteam00001"   # platform team\n  regionId: \'cn-beijing\'\n  assumeRoleARN: "acs:ram::1999888877776666:role/other-puller"\n  expireDuration: 3600\n';
const OURS = { instanceId: 'cri-ours', regionId: 'cn-hangzhou', domains: 'a.example.com,b.example.com', assumeRoleARN: 'acs:ram::1:role/r', expireDuration: 3600 };

describe('acr-registry-info merge', () => {
  it('adds our entry after the others, which keep their exact text (quotes, comments, spacing)', () => {
    const merged = mergeRegistryInfo(OTHER, OURS);
    assert.ok(merged.startsWith(OTHER), merged);
    assert.deepEqual(parseRegistryInfo(merged).map((e) => e.instanceId), ['cri-otherteam00001', 'cri-ours']);
  });

  it('replaces the entry for the same instance in place, and an empty value becomes a list', () => {
    const once = mergeRegistryInfo(OTHER, { ...OURS, expireDuration: 1800 });
    const twice = mergeRegistryInfo(once, OURS);
    const entries = parseRegistryInfo(twice);
    assert.equal(entries.length, 2);
    assert.ok(sameRegistryEntry(findRegistryEntry(entries, 'cri-ours'), OURS));
    assert.deepEqual(parseRegistryInfo(mergeRegistryInfo(undefined, OURS)), [OURS]);
    assert.deepEqual(parseRegistryInfo(mergeRegistryInfo('', OURS)), [OURS]);
  });

  it('splices into indented lists, keeps comments between entries, and handles flow lists', () => {
    const indented = '  - instanceId: a\n    regionId: r\n';
    const appended = mergeRegistryInfo(indented, OURS);
    assert.ok(appended.startsWith(indented));
    assert.deepEqual(parseRegistryInfo(appended).map((e) => e.instanceId), ['a', 'cri-ours']);
    const middle = `- instanceId: cri-ours\n  regionId: old # stale\n# keep me\n- instanceId: z\n`;
    const replaced = mergeRegistryInfo(middle, OURS);
    assert.ok(replaced.endsWith('# keep me\n- instanceId: z\n'), replaced);
    assert.ok(sameRegistryEntry(parseRegistryInfo(replaced)[0], OURS));
    assert.deepEqual(parseRegistryInfo(mergeRegistryInfo('[{instanceId: a}]', OURS)).map((e) => e.instanceId), ['a', 'cri-ours']);
  });

  it('keeps every other key of the ConfigMap and sets ours', () => {
    const data = { 'acr-registry-info': OTHER, 'notify-email': 'platform@example.com', 'watch-namespace': 'default', custom: 'x' };
    const out = mergeHelperData(data, { 'watch-namespace': 'all', rrsa: 'enable: true\n' }, OURS);
    assert.equal(out['notify-email'], 'platform@example.com');
    assert.equal(out.custom, 'x');
    assert.equal(out['watch-namespace'], 'all');
    assert.equal(out.rrsa, 'enable: true\n');
  });

  it('refuses a value that is not a list, and registers secrets it reads for redaction', () => {
    assert.throws(() => mergeRegistryInfo('instanceId: x\n', OURS), RegistryInfoError);
    assert.throws(() => parseRegistryInfo('- a: [unclosed'), RegistryInfoError);
    const secret = 'kube-test-secret-0123456789abcdef';
    parseRegistryInfo(`- instanceId: cri-x\n  customAccessKey: LTAIx\n  customAccessKeySecret: ${secret}\n`);
    assert.equal(redact(`value ${secret}`), 'value ***');
  });
});

describe('the helper ConfigMap and pods on a cluster API (sandbox)', () => {
  let sandbox: RunningSandbox;
  let kubeconfig: string;
  let clusterId: string;

  before(async () => {
    ({ sandbox, clusterId, kubeconfig } = await clusterApi('existing-helper-config'));
  });
  after(() => sandbox.close());

  it('writes our entry and settings, keeping the other instance\'s entry and the keys we do not set', async () => {
    const before = await readHelperConfig(kubeconfig);
    assert.ok(before);
    assert.equal(await writeHelperConfig(kubeconfig, { 'watch-namespace': 'all' }, OURS), 'replaced');
    const afterWrite = await readHelperConfig(kubeconfig);
    assert.equal(afterWrite!.data['notify-email'], before.data['notify-email']);
    assert.ok(afterWrite!.data['acr-registry-info']!.startsWith(before.data['acr-registry-info']!));
    assert.deepEqual(afterWrite!.entries.map((e) => e.instanceId), ['cri-otherteam00001', 'cri-ours']);
    assert.equal(await writeHelperConfig(kubeconfig, { 'watch-namespace': 'all' }, OURS), 'unchanged');
  });

  it('a writer that got in between is not overwritten: the update re-reads and re-applies', async () => {
    const client = await kubeClient(kubeconfig);
    let calls = 0;
    const result = await updateConfigMap(client, 'kube-system', 'acr-configuration', (data) => {
      calls++;
      if (calls === 1) {
        // Someone else edits the ConfigMap after our read: our replace carries a stale resourceVersion.
        const store = kubeStore(sandbox.world, clusterId);
        const cm = store.get('ConfigMap', 'kube-system', 'acr-configuration')!;
        store.replace({ ...cm, data: { ...(cm.data as Record<string, string>), theirs: 'kept' } });
      }
      return { ...data, ours: 'set' };
    });
    assert.equal(result, 'replaced');
    assert.equal(calls, 2);
    const now = await readHelperConfig(kubeconfig);
    assert.equal(now!.data.theirs, 'kept');
    assert.equal(now!.data.ours, 'set');
  });

  it('creates the ConfigMap when it is missing', async () => {
    kubeStore(sandbox.world, clusterId).delete('ConfigMap', 'kube-system', 'acr-configuration');
    assert.equal(await readHelperConfig(kubeconfig), undefined);
    assert.equal(await writeHelperConfig(kubeconfig, { 'service-account': 'default' }, OURS), 'created');
    assert.deepEqual((await readHelperConfig(kubeconfig))!.entries, [OURS]);
  });

  it('restarts only the helper pods that started before a time; the Deployment starts a fresh one', async () => {
    ensureHelperWorkload(sandbox.world, clusterId);
    const pods = await helperPods(kubeconfig);
    assert.equal(pods.length, 1);
    assert.deepEqual(await restartHelperPods(kubeconfig, pods[0]!.createdMs), [], 'not older than itself');
    sandbox.world.advance(60_000);
    assert.deepEqual(await restartHelperPods(kubeconfig, sandbox.world.data.nowMs), [pods[0]!.name]);
    const fresh = await helperPods(kubeconfig);
    assert.equal(fresh.length, 1);
    assert.ok(fresh[0]!.createdMs > pods[0]!.createdMs);
  });
});
