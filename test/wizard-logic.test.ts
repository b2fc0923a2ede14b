// The wizard's pure parts: the support matrix (held to the steps' preflight), recommendations, inline validation,
// which fields are asked, the settings helpers and the topology drawing. No I/O.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ADDON_EDITIONS, AUTH_MODES } from '../src/config/choices.js';
import type { Config } from '../src/config/schema.js';
import type { ClusterDetail } from '../src/cloud/cs.js';
import { authSupportProblem, editionSupportProblem } from '../src/steps/auth/support.js';
import { AskPolicy, groupOf } from '../src/wizard/policy.js';
import { addressSpaceA, recommendAuth, recommendDns, recommendEdition, recommendNetwork, type NetworkSituation } from '../src/wizard/recommend.js';
import { missingSettings, settingsAsFlags, settingsToSave } from '../src/wizard/settings.js';
import type { ClusterInfo, VpcInfo } from '../src/wizard/sources.js';
import { authProblem, clusterProblem, editionProblem, registryProblem } from '../src/wizard/support.js';
import { renderTopology, topologyOf } from '../src/wizard/topology.js';
import { aclCidrs, clusterIdFormat, expireDuration, kubeNames, serviceAddress } from '../src/wizard/validate.js';
import { mergeInto } from '../src/wizard/wizard.js';

const cluster = (over: Partial<ClusterInfo> = {}): ClusterInfo => ({
  clusterId: 'ca9d81f1f61d754ae19205691614431a2', name: 'prod', clusterType: 'ManagedKubernetes', profile: 'Default', clusterSpec: 'ack.pro.small',
  state: 'running', regionId: 'cn-hangzhou', currentVersion: '1.31.1-aliyun.1', vpcId: 'vpc-a', containerCidr: '172.20.0.0/16',
  serviceCidr: '172.21.0.0/20', rrsaEnabled: false, ...over,
});

/** Every kind of cluster the seed names, at the versions around each threshold. */
const KINDS: Partial<ClusterInfo>[] = [
  {},
  { clusterSpec: 'ack.standard' },
  { profile: 'Edge' },
  { profile: 'Serverless' },
  { profile: 'Serverless', clusterSpec: 'ack.standard' },
  { clusterType: 'Kubernetes', clusterSpec: '' },
  { clusterType: 'ExternalKubernetes' },
];
const VERSIONS = ['1.18.8-aliyun.1', '1.20.4-aliyun.1', '1.21.3', '1.22.3-aliyun.1', '1.31.1-aliyun.1'];

const asDetail = (c: ClusterInfo) => ({ ...c, vSwitchIds: [], workerRamRoleName: '', securityGroupId: '', networkMode: '', rrsa: { enabled: false } }) as unknown as ClusterDetail;
const asConfig = (mode: string, edition: string) => ({ auth: { mode }, addon: { edition } }) as unknown as Config;

describe('wizard support matrix', () => {
  it('offers exactly the auth methods and editions the steps\' preflight accepts, for every cluster kind and version', () => {
    for (const kind of KINDS) {
      for (const currentVersion of VERSIONS) {
        const c = cluster({ ...kind, currentVersion });
        for (const mode of AUTH_MODES) {
          const label = `${JSON.stringify(kind)} ${currentVersion} ${mode}`;
          assert.equal(authProblem(mode, c) === undefined, authSupportProblem(asConfig(mode, 'self-managed'), asDetail(c)) === undefined, label);
          for (const edition of ADDON_EDITIONS) {
            assert.equal(editionProblem(edition, c, mode) === undefined, editionSupportProblem(asConfig(mode, edition), asDetail(c)) === undefined, `${label} ${edition}`);
          }
        }
      }
    }
  });

  it('marks a cluster no method supports, with the reason', () => {
    assert.equal(clusterProblem(cluster()), undefined);
    assert.match(clusterProblem(cluster({ currentVersion: '1.18.8-aliyun.1' }))!, /1\.18\.8 is below every supported version/);
    assert.match(clusterProblem(cluster({ profile: 'Serverless', clusterSpec: 'ack.standard' }))!, /Serverless Basic/);
    assert.match(clusterProblem(cluster({ state: 'deleting' }))!, /deleting/);
    assert.match(authProblem('rrsa', cluster({ clusterType: 'Kubernetes', clusterSpec: '' }))!, /this is ACK dedicated 1\.31\.1/);
  });

  it('accepts Enterprise Edition and Personal Edition created on or before 2024-09-08 only', () => {
    const reg = (edition: string, createdAt: string) => ({ instanceId: 'cri-x', name: 'r', edition, status: 'RUNNING', regionId: 'cn-hangzhou', createdAt: new Date(createdAt) });
    assert.equal(registryProblem(reg('Enterprise_Basic', '2025-01-01')), undefined);
    assert.equal(registryProblem(reg('Basic', '2024-09-08T12:00:00Z')), undefined);
    assert.match(registryProblem(reg('Basic', '2024-09-09T00:00:00Z'))!, /Personal Edition created 2024-09-09/);
    assert.match(registryProblem({ ...reg('Enterprise_Basic', '2025-01-01'), status: 'STOPPED' })!, /STOPPED/);
  });
});

describe('wizard recommendations', () => {
  const vpc = (vpcId: string, cidr: string): VpcInfo => ({ vpcId, name: '', cidrs: [cidr] });
  const situation = (over: Partial<NetworkSituation> = {}): NetworkSituation => ({
    regionA: 'cn-hangzhou', regionB: 'cn-hangzhou', space: addressSpaceA(cluster(), ['192.168.0.0/16']), natGateways: 1,
    registry: { edition: 'Enterprise_Standard' }, vpcsB: [vpc('vpc-b', '172.16.0.0/16')], ...over,
  });
  const offered = (r: { options: { value: string; disabled?: string }[] }) => r.options.filter((o) => !o.disabled).map((o) => o.value);

  it('same region, no overlap: peering, every path offered', () => {
    const r = recommendNetwork(situation());
    assert.equal(r.recommended, 'peering');
    assert.deepEqual(offered(r), ['public', 'peering', 'cen']);
    assert.match(r.why, /same region \(cn-hangzhou\)/);
  });

  it('across regions: CEN, with peering offered and its data-transfer fee noted', () => {
    const r = recommendNetwork(situation({ regionB: 'cn-shanghai' }));
    assert.equal(r.recommended, 'cen');
    assert.match(r.why, /cn-hangzhou -> cn-shanghai/);
    assert.match(r.options.find((o) => o.value === 'peering')!.note!, /CDT/);
  });

  it('overlapping CIDRs (VPC, pod or service CIDR): public with an ACL, and peering and CEN are not offered, with why', () => {
    const r = recommendNetwork(situation({ vpcsB: [vpc('vpc-b', '192.168.0.0/16')] }));
    assert.equal(r.recommended, 'public');
    assert.deepEqual(offered(r), ['public']);
    assert.match(r.options.find((o) => o.value === 'peering')!.disabled!, /A's VPC vpc-a 192\.168\.0\.0\/16 overlaps B's vpc-b 192\.168\.0\.0\/16/);
    assert.match(r.why, /ACL/);
    const pods = recommendNetwork(situation({ vpcsB: [vpc('vpc-b', '172.20.5.0/24')] }));
    assert.match(pods.options.find((o) => o.value === 'cen')!.disabled!, /pod CIDR 172\.20\.0\.0\/16/);
  });

  it('one non-overlapping VPC of B among several keeps the private paths', () => {
    assert.equal(recommendNetwork(situation({ vpcsB: [vpc('vpc-x', '192.168.0.0/16'), vpc('vpc-y', '10.0.0.0/8')] })).recommended, 'peering');
  });

  it('a Personal Edition instance has only the public path; a VPC without NAT gets a caveat', () => {
    const r = recommendNetwork(situation({ registry: { edition: 'Basic' }, natGateways: 0 }));
    assert.deepEqual(offered(r), ['public']);
    assert.match(r.options[0]!.note!, /no NAT gateway/);
  });

  it('DNS: PrivateZone; /etc/hosts not on Serverless (no nodes of its own)', () => {
    assert.equal(recommendDns(cluster()).recommended, 'privatezone');
    assert.match(recommendDns(cluster({ profile: 'Serverless' })).options[1]!.disabled!, /no nodes of its own/);
  });

  it('auth: RRSA where supported; worker role on dedicated clusters; a fixed managed edition rules out the others', () => {
    assert.equal(recommendAuth(cluster()).recommended, 'rrsa');
    assert.match(recommendAuth(cluster()).options[0]!.note!, /RRSA is off/);
    const dedicated = recommendAuth(cluster({ clusterType: 'Kubernetes', clusterSpec: '' }));
    assert.equal(dedicated.recommended, 'worker-role');
    assert.deepEqual(offered(dedicated), ['worker-role', 'access-key']);
    assert.deepEqual(offered(recommendAuth(cluster(), 'managed')), ['rrsa']);
    assert.deepEqual(offered(recommendAuth(cluster({ profile: 'Edge' }))), ['rrsa']);
  });

  it('edition: managed with RRSA; self-managed otherwise; Edge only managed', () => {
    assert.equal(recommendEdition(cluster(), 'rrsa').recommended, 'managed');
    const workerRole = recommendEdition(cluster(), 'worker-role');
    assert.equal(workerRole.recommended, 'self-managed');
    assert.match(workerRole.options[0]!.disabled!, /only RRSA/);
    assert.deepEqual(offered(recommendEdition(cluster({ profile: 'Edge' }), 'rrsa')), ['managed']);
  });
});

describe('wizard inline validation', () => {
  it('IDs, durations, CIDRs, names and addresses are checked as typed', async () => {
    assert.equal(clusterIdFormat('ca9d81f1f61d754ae19205691614431a2'), true);
    assert.match(String(clusterIdFormat('prod')), /expected an ACK cluster ID/);
    assert.equal(expireDuration('3600'), true);
    assert.match(String(expireDuration('3599')), /3600 to 43200/);
    assert.match(String(expireDuration('43201')), /3600 to 43200/);
    assert.equal(aclCidrs(false)('203.0.113.7/32, 198.51.100.0/24'), true);
    assert.match(String(aclCidrs(false)('0.0.0.0/0')), /whole Internet/);
    assert.equal(aclCidrs(true)('0.0.0.0/0'), true);
    assert.match(String(aclCidrs(false)('10.0.0.300/8')), /10\.0\.0\.300\/8/);
    assert.equal(kubeNames(true)('all'), true);
    assert.match(String(kubeNames(true)('all, team-a')), /"all" already covers/);
    assert.match(String(kubeNames(false)('Bad_Name')), /Kubernetes name/);
    const space = addressSpaceA(cluster(), ['100.96.0.0/16']);
    assert.match(String(serviceAddress(space)('100.96.7.181')), /inside A's VPC vpc-a 100\.96\.0\.0\/16.*100\.0\.0\.0\/8/);
    assert.equal(serviceAddress(space)('100.103.7.181'), true);
  });
});

describe('which fields the wizard asks', () => {
  const given = { accountA: { region: 'cn-hangzhou', clusterId: 'c1234567' }, network: { mode: 'peering' }, auth: { mode: 'rrsa', expireDuration: 7200 } };

  it('asks what is missing; never what a flag set; with --step re-asks that step and only required fields elsewhere', () => {
    const full = new AskPolicy(given, new Set(['network.mode']));
    assert.equal(full.asks('accountA.clusterId'), false);
    assert.equal(full.asks('accountB.instanceId'), true);
    assert.equal(full.asks('verify.image'), true);
    const step = new AskPolicy(given, new Set(['network.mode']), ['auth', 'network']);
    assert.equal(step.asks('auth.mode'), true, 'from the file: re-asked');
    assert.equal(step.asks('auth.expireDuration'), true);
    assert.equal(step.asks('network.mode'), false, 'a flag is never asked');
    assert.equal(step.asks('verify.image'), false, 'optional, outside the steps');
    assert.equal(step.asks('addon.edition'), true, 'required and missing');
    assert.equal(step.origin('network.mode'), '--network peering');
    assert.equal(step.origin('auth.mode'), 'auth.mode: rrsa in the config file');
    assert.equal(groupOf('network.dns'), 'dns');
    assert.equal(groupOf('accountB.roleArn'), 'accounts');
  });
});

describe('wizard settings helpers', () => {
  it('names missing settings by their flags, section by section', () => {
    const lines = missingSettings({ network: { mode: 'cen' }, accountB: { region: 'cn-hangzhou' } });
    assert.match(lines[0]!, /^accountA is missing: pass --region-a REGION \(region of A's cluster\) and --cluster-id ID/);
    assert.match(lines[1]!, /^accountB\.instanceId is missing: pass --instance-id ID/);
    assert.ok(lines.some((l) => /^auth is missing: pass --auth rrsa\|worker-role\|access-key/.test(l)));
    assert.ok(!lines.some((l) => l.startsWith('network')));
  });

  it('never saves one-shot flags; renders answers as the equivalent flags; merges pieces deeply', () => {
    const raw = { auth: { mode: 'access-key', rotateKey: true }, addon: { edition: 'self-managed', replaceEdition: true } };
    assert.deepEqual(settingsToSave(raw, new Set(['auth.rotateKey', 'addon.replaceEdition'])), { auth: { mode: 'access-key' }, addon: { edition: 'self-managed' } });
    assert.equal(
      settingsAsFlags({ accountA: { region: 'cn-hangzhou' }, network: { mode: 'public', aclCidrs: ['203.0.113.7/32'] }, addon: { watchNamespaces: ['a', 'b'] } }),
      '--region-a cn-hangzhou --network public --acl-cidr 203.0.113.7/32 --watch-namespace a --watch-namespace b',
    );
    assert.deepEqual(mergeInto({ network: { mode: 'cen', aclCidrs: ['1.2.3.4/32'] } }, { network: { aclCidrs: [], dns: 'hosts' } }), { network: { mode: 'cen', aclCidrs: [], dns: 'hosts' } });
  });
});

describe('topology drawing', () => {
  const config = {
    accountA: { region: 'cn-hangzhou', clusterId: 'c123456789' },
    accountB: { region: 'cn-shanghai', instanceId: 'cri-abc' },
    network: { mode: 'cen', dns: 'privatezone', aclCidrs: [], authIp: '100.103.7.181', ossIp: '100.118.1.2', bandwidthMbps: 50, vpcIdB: 'vpc-b' },
  } as unknown as Config;
  const identities = { A: { accountId: '1760312345678901' }, B: { accountId: '1580298765432109' } } as never;

  it('shows both accounts, the link with its regions and bandwidth, and every address routed', () => {
    const lines = renderTopology(topologyOf(config, identities));
    const text = lines.join('\n');
    assert.match(text, /account A 1760312345678901 · cn-hangzhou/);
    assert.match(text, /CEN transit routers \(cn-hangzhou -> cn-shanghai, 50 Mbit\/s\)/);
    assert.match(text, /routed from A: \?\s+registry \(known once B's VPC is linked\)/);
    assert.match(text, /100\.103\.7\.181\/32\s+auth service/);
    assert.match(text, /100\.118\.1\.2\/32\s+OSS/);
    assert.match(text, /VPC vpc-b/);
    assert.match(text, /account B 1580298765432109 · cn-shanghai/);
    assert.ok(lines.every((l) => l.length <= 100), 'fits a terminal');
  });

  it('public mode: the Internet link and its ACL, no routes', () => {
    const text = renderTopology(topologyOf({ ...config, network: { ...config.network, mode: 'public', aclCidrs: ['203.0.113.7/32'] } }, identities)).join('\n');
    assert.match(text, /Internet, to the registry's public endpoint/);
    assert.match(text, /ACL admits A's NAT egress addresses and 203\.0\.113\.7\/32/);
    assert.doesNotMatch(text, /routed from A/);
  });
});
