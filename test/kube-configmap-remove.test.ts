// src/kube: taking entries out of acr-registry-info (pure, a text splice that keeps every other character), and
// removeHelperEntries on a cluster API (sandbox): other entries and keys kept, no ConfigMap created, conflicts re-read.
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  mergeRegistryInfo,
  parseRegistryInfo,
  readHelperConfig,
  RegistryInfoError,
  removeHelperEntries,
  removeRegistryEntries,
  writeHelperConfig,
  type RegistryEntry,
} from '../src/kube/acr-configuration.js';
import type { RunningSandbox } from '../src/sandbox/index.js';
import { kubeStore } from '../src/sandbox/kube/index.js';
import { clusterApi } from './helpers/sandbox-network.js';

const OTHER = '# entries of other teams\n- instanceId: "cri-otherteam00001"   # platform team\n  regionId: \'cn-beijing\'\n  assumeRoleARN: "acs:ram::1999888877776666:role/other-puller"\n  expireDuration: 3600\n';
const OURS = { instanceId: 'cri-ours', regionId: 'cn-hangzhou', domains: 'a.example.com,b.example.com', assumeRoleARN: 'acs:ram::1:role/r', expireDuration: 3600 };
const ours = (e: RegistryEntry) => e.instanceId === 'cri-ours';

describe('acr-registry-info: taking entries out', () => {
  it('undoes a merge exactly: the other entries, comments and quoting are back byte for byte', () => {
    const merged = mergeRegistryInfo(OTHER, OURS);
    const { text, removed } = removeRegistryEntries(merged, ours);
    assert.equal(text, OTHER);
    assert.deepEqual(removed, [OURS]);
  });

  it('takes an entry out of the middle or the end of a list, keeping the comments around it and an indented list', () => {
    const middle = '- instanceId: a\n  regionId: r # a\'s\n- instanceId: cri-ours\n  regionId: old # stale\n# keep me\n- instanceId: z\n';
    assert.equal(removeRegistryEntries(middle, ours).text, '- instanceId: a\n  regionId: r # a\'s\n# keep me\n- instanceId: z\n');
    const indented = '  - instanceId: a\n    regionId: r\n  - instanceId: cri-ours\n    regionId: x';
    assert.equal(removeRegistryEntries(indented, ours).text, '  - instanceId: a\n    regionId: r\n');
    const dashAlone = '-\n  instanceId: cri-ours\n  b: 1\n- instanceId: q\n';
    assert.equal(removeRegistryEntries(dashAlone, ours).text, '- instanceId: q\n');
    const blockScalar = '- instanceId: q\n- instanceId: cri-ours\n  note: |\n    two\n    lines\n';
    assert.equal(removeRegistryEntries(blockScalar, ours).text, '- instanceId: q\n');
  });

  it('removes every entry the predicate picks and only those; nothing picked leaves the text as it is', () => {
    const two = `${mergeRegistryInfo(OTHER, OURS)}- instanceId: cri-ours\n  assumeRoleARN: someone-else\n`;
    const onlyOurRole = removeRegistryEntries(two, (e) => ours(e) && e.assumeRoleARN === OURS.assumeRoleARN);
    assert.deepEqual(parseRegistryInfo(onlyOurRole.text).map((e) => e.assumeRoleARN), [ 'acs:ram::1999888877776666:role/other-puller', 'someone-else']);
    assert.equal(onlyOurRole.removed.length, 1);
    assert.deepEqual(removeRegistryEntries(OTHER, ours), { text: OTHER, removed: [] });
    assert.deepEqual(removeRegistryEntries('', ours), { text: '', removed: [] });
    assert.deepEqual(removeRegistryEntries(undefined, ours), { text: '', removed: [] });
    assert.equal(removeRegistryEntries(mergeRegistryInfo('', OURS), ours).text, '', 'our entry alone: an empty list is left');
  });

  it('rewrites a flow list through the parsed document; refuses a value that is not a list', () => {
    const out = removeRegistryEntries('[{instanceId: a}, {instanceId: cri-ours, regionId: x}]', ours);
    assert.deepEqual(parseRegistryInfo(out.text), [{ instanceId: 'a' }]);
    assert.equal(out.removed.length, 1);
    assert.throws(() => removeRegistryEntries('instanceId: cri-ours\n', ours), RegistryInfoError);
    assert.throws(() => removeRegistryEntries('- a: [unclosed', ours), RegistryInfoError);
  });
});

describe('removeHelperEntries on a cluster API (sandbox)', () => {
  let sandbox: RunningSandbox;
  let kubeconfig: string;
  let clusterId: string;

  before(async () => {
    ({ sandbox, clusterId, kubeconfig } = await clusterApi('existing-helper-config'));
  });
  after(() => sandbox.close());

  it('takes our entry out, every other key and entry as it was; a second run changes nothing', async () => {
    const original = (await readHelperConfig(kubeconfig))!.data;
    await writeHelperConfig(kubeconfig, { 'watch-namespace': 'all' }, OURS);
    const removal = await removeHelperEntries(kubeconfig, ours);
    assert.equal(removal.write, 'replaced');
    assert.deepEqual(removal.removed, [OURS]);
    assert.deepEqual((await readHelperConfig(kubeconfig))!.data, original);
    assert.deepEqual(await removeHelperEntries(kubeconfig, ours), { write: 'unchanged', removed: [] });
  });

  it('re-reads when someone wrote in between: their change stays, our entry still goes', async () => {
    await writeHelperConfig(kubeconfig, {}, OURS);
    let calls = 0;
    const removal = await removeHelperEntries(kubeconfig, (e) => {
      if (calls++ === 0) {
        const store = kubeStore(sandbox.world, clusterId);
        const cm = store.get('ConfigMap', 'kube-system', 'acr-configuration')!;
        store.replace({ ...cm, data: { ...(cm.data as Record<string, string>), theirs: 'kept' } });
      }
      return ours(e);
    });
    assert.equal(removal.write, 'replaced');
    const now = await readHelperConfig(kubeconfig);
    assert.equal(now!.data.theirs, 'kept');
    assert.deepEqual(now!.entries.map((e) => e.instanceId), ['cri-otherteam00001']);
  });

  it('does not create a missing ConfigMap', async () => {
    kubeStore(sandbox.world, clusterId).delete('ConfigMap', 'kube-system', 'acr-configuration');
    assert.deepEqual(await removeHelperEntries(kubeconfig, ours), { write: 'missing', removed: [] });
    assert.equal(await readHelperConfig(kubeconfig), undefined);
  });
});
