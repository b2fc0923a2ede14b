// The sandbox's pull decision, end to end (part 1 of 2; the table is in sandbox-pull-table.test.ts): the seed
// procedure done by hand through the real clients (test/helpers/manual-setup.ts), then a Deployment whose pod
// events say whether the image was pulled.
// 1. every network/DNS/auth/add-on combination the seed describes pulls when set up correctly;
// 2. from a correct setup, each single broken link fails with the event text a real node shows and the right link,
//    and re-running the broken step repairs it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as cr from '../src/cloud/cr.js';
import * as pvtz from '../src/cloud/pvtz.js';
import * as ram from '../src/cloud/ram.js';
import * as vpc from '../src/cloud/vpc.js';
import * as peer from '../src/cloud/vpcpeer.js';
import { registryFacts } from '../src/sandbox/state/cr-facts.js';
import {
  decidePull,
  deleteRoutes,
  disableRrsa,
  ensurePeering,
  ensureZone,
  escapeRe as escape,
  expectBroken,
  expectPulled,
  helperPods,
  installAddon,
  linkRegistryVpc,
  NAMES,
  natEgressIps,
  resolveServiceAddresses,
  restartHelperIfOlderThan,
  runScript,
  setupAll,
  setupAuth,
  setupDns,
  setupNetwork,
  trustOidc,
  trustRam,
  withEnv,
  type AddonEdition,
  type AuthKind,
  type DnsKind,
  type NetworkKind,
} from './helpers/manual-setup.js';

type Combo = { network: NetworkKind; dns?: DnsKind; auth: AuthKind; addon: AddonEdition };
const PEERING_RRSA: Combo = { network: 'peering', dns: 'privatezone', auth: 'rrsa', addon: 'managed' };
const PUBLIC_AK: Combo = { network: 'public', auth: 'access-key', addon: 'self-managed' };
const timeoutTo = (ip: string) => new RegExp(`dial tcp ${escape(ip)}:443: i/o timeout$`);

describe('a correct setup pulls the image', () => {
  it('peering + PrivateZone + RRSA + managed add-on (and the addresses found by Cloud Assistant are the registry\'s)', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      const facts = registryFacts(env.sandbox.world, env.facts.instanceId)!;
      assert.equal(env.state.authIp, facts.auth.vpcIp);
      assert.equal(env.state.ossIp, facts.oss.vpcIp);
      assert.equal(env.state.authDomain, facts.auth.vpcDomain);
      assert.equal(env.state.ossDomain, facts.oss.vpcDomain);
      assert.equal(env.state.registryIp, facts.linkedVpcs[0]!.ip);
      await expectPulled(env);
      const decision = decidePull(env);
      assert.ok(decision.ok && decision.via === `VPC endpoint; credentials: RRSA -> ${env.state.roleAArn} -> ${env.state.roleBArn}`, JSON.stringify(decision));
      // Another image of the instance pulls too; the second node (other vSwitch) as well.
      await expectPulled(env, { repository: 'base/alpine:3.20' });
      assert.ok(decidePull(env, { node: 1 }).ok);
    }));

  it('CEN + PrivateZone + worker role + self-managed add-on', () =>
    withEnv('default', { network: 'cen', dns: 'privatezone', auth: 'worker-role', addon: 'self-managed' }, async (env) => {
      await expectPulled(env);
      const decision = decidePull(env);
      assert.ok(decision.ok && decision.via.includes(`worker role ${env.state.workerRoleName} -> ${env.state.roleBArn}`), JSON.stringify(decision));
    }));

  it('public endpoint + AccessKey + self-managed add-on (ACL holds the NAT EIPs)', () =>
    withEnv('default', PUBLIC_AK, async (env) => {
      assert.ok(env.state.aclEntries!.length > 0);
      await expectPulled(env);
      const decision = decidePull(env);
      assert.ok(decision.ok && decision.via === `Internet endpoint; credentials: AccessKey ${env.state.accessKey!.id}`, JSON.stringify(decision));
      assert.ok(decidePull(env, { image: `${env.facts.registryVpcDomain}/team/app:1.4.2` }).ok === false, 'the VPC domain is not reachable without a private network');
    }));

  it('peering + /etc/hosts on every node + RRSA + self-managed add-on', () =>
    withEnv('default', { network: 'peering', dns: 'hosts', auth: 'rrsa', addon: 'self-managed' }, async (env) => {
      for (const node of [0, 1]) assert.ok(decidePull(env, { node }).ok, `node ${node}`);
      await expectPulled(env);
      // The hosts block is what a node now reads, between the markers, once.
      const [result] = await runScript(env.A, [env.state.hosts!.instanceIds[0]!], 'cat /etc/hosts\n');
      assert.equal(result!.output.split('\n').filter((l) => l.includes(env.facts.registryVpcDomain)).length, 1);
      await setupDns(env, 'hosts');
      const [again] = await runScript(env.A, [env.state.hosts!.instanceIds[0]!], 'cat /etc/hosts\n');
      assert.equal(again!.output, result!.output, 'running the hosts script twice leaves one block');
    }));

  it('peering across regions (cn-hangzhou -> cn-shanghai) + PrivateZone + RRSA + managed add-on', () =>
    withEnv('cross-region', PEERING_RRSA, async (env) => {
      assert.match(env.facts.registryVpcDomain, /\.cn-shanghai\.cr\.aliyuncs\.com$/);
      assert.equal(env.state.authDomain, 'dockerauth-vpc.cn-shanghai.aliyuncs.com');
      await expectPulled(env);
    }));

  it('CEN across regions (two transit routers and an inter-region connection) + hosts + worker role + self-managed add-on', () =>
    withEnv('cross-region', { network: 'cen', dns: 'hosts', auth: 'worker-role', addon: 'self-managed' }, async (env) => {
      assert.notEqual(env.state.cen!.trA, env.state.cen!.trB);
      assert.ok(env.state.cen!.peerAttachment);
      await expectPulled(env);
    }));
});

describe('from a correct peering setup, one broken link fails the pull at that link', () => {
  it('OSS route missing in A: layers time out', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      await deleteRoutes(env, (r) => r.purpose === 'oss');
      await expectBroken(env, {
        link: 'network-oss',
        message: new RegExp(`^failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://${escape(env.state.ossDomain!)}/docker/registry/v2/blobs/.*": ${timeoutTo(env.state.ossIp!).source}`),
        // Only the NAT gateway's default route is left to match: the address goes to the Internet, not to B.
        detail: new RegExp(`route 0\\.0\\.0\\.0/0 in vtb-\\w+ sends ${escape(env.state.ossIp!)} to NatGateway ngw-\\w+, not towards ${env.facts.vpcB}`),
      });
      await setupNetwork(env, 'peering');
      await expectPulled(env);
    }));

  it('auth-service route missing in A: the token request times out', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      await deleteRoutes(env, (r) => r.purpose === 'auth');
      await expectBroken(env, {
        link: 'network-auth',
        message: new RegExp(`^failed to authorize: failed to fetch oauth token: Post "https://${escape(env.state.authDomain!)}/auth": ${timeoutTo(env.state.authIp!).source}`),
      });
      await setupNetwork(env, 'peering');
      await expectPulled(env);
    }));

  it("return route missing in B: the registry's replies never come back", () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      await deleteRoutes(env, (r) => r.purpose === 'return');
      await expectBroken(env, {
        link: 'network-registry',
        message: new RegExp(`^failed to do request: Head "https://${escape(env.facts.registryVpcDomain)}/v2/team/app/manifests/1\\.4\\.2": ${timeoutTo(env.state.registryIp!).source}`),
        detail: /no return path from .* no route to 192\.168\.0\.\d+ in route table/,
      });
      await setupNetwork(env, 'peering');
      await expectPulled(env);
    }));

  it('PrivateZone record deleted: no such host', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      await pvtz.deleteZoneRecord(env.A, env.state.zone!.recordId);
      await expectBroken(env, {
        link: 'dns-registry',
        message: new RegExp(`^failed to do request: Head "https://${escape(env.facts.registryVpcDomain)}/v2/team/app/manifests/1\\.4\\.2": dial tcp: lookup ${escape(env.facts.registryVpcDomain)} on 100\\.100\\.2\\.136:53: no such host$`),
        detail: /PrivateZone zone .* captures it and has no record @/,
      });
      await setupDns(env, 'privatezone');
      await expectPulled(env);
    }));

  it('zone for a parent domain instead of the exact one: it captures the auth-service name too', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      // Replace the exact zone with `aliyuncs.com` holding the registry's record: the registry resolves, its auth service does not.
      await pvtz.removeZoneVpcBinding(env.A, env.state.zone!.zoneId, env.facts.vpcA);
      const suffix = '.aliyuncs.com';
      const rr = env.facts.registryVpcDomain.slice(0, -suffix.length);
      await ensureZone(env, 'aliyuncs.com', rr, env.state.registryIp!);
      await expectBroken(env, {
        link: 'dns-auth',
        message: new RegExp(`^failed to authorize: failed to fetch oauth token: Post "https://${escape(env.state.authDomain!)}/auth": dial tcp: lookup ${escape(env.state.authDomain!)} on 100\\.100\\.2\\.136:53: no such host$`),
        detail: /PrivateZone zone aliyuncs\.com .* captures it/,
      });
      // A parent zone with only an `@` record does not even answer for the registry's own name.
      const parent = await ensureZone(env, 'cr.aliyuncs.com', '@', env.state.registryIp!);
      const wide = (await pvtz.findZoneByName(env.A, 'aliyuncs.com'))!;
      await pvtz.removeZoneVpcBinding(env.A, wide.zoneId, env.facts.vpcA);
      await expectBroken(env, { link: 'dns-registry', message: /no such host$/, detail: /PrivateZone zone cr\.aliyuncs\.com .* has no record/ });
      await pvtz.removeZoneVpcBinding(env.A, parent.zoneId, env.facts.vpcA);
      await setupDns(env, 'privatezone');
      await expectPulled(env);
    }));

  it("role B's trust policy names someone else: 401 at role-b-trust", () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      await ram.updateRole(env.B, NAMES.roleB, { trustPolicy: { Version: '1', Statement: [trustRam(`acs:ram::${env.facts.accountA}:role/someone-else`)] } });
      await expectBroken(env, { link: 'role-b-trust', message: /: 401 Unauthorized$/, detail: /AssumeRole .*: NoPermission/ });
      await setupAuth(env, 'rrsa');
      await expectPulled(env);
    }));

  it("role A's trust policy expects another service account (oidc:sub): 401 at role-a-trust", () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      const wrong = trustOidc(env.state.rrsa!, 'system:serviceaccount:default:aliyun-acr-credential-helper');
      await ram.updateRole(env.A, NAMES.roleA, { trustPolicy: { Version: '1', Statement: [wrong] } });
      await expectBroken(env, { link: 'role-a-trust', message: /: 401 Unauthorized$/, detail: /AssumeRoleWithOIDC .*: AuthenticationFail\.NoPermission/ });
      await setupAuth(env, 'rrsa');
      await expectPulled(env);
    }));

  it("expireDuration above role B's MaxSessionDuration: 401, STS refuses the duration", () =>
    withEnv('default', undefined, async (env) => {
      await setupNetwork(env, 'peering');
      await setupDns(env, 'privatezone');
      await setupAuth(env, 'rrsa', { expireDuration: 7200, maxSessionDuration: 3600 });
      await installAddon(env, 'managed');
      assert.equal((await ram.getRole(env.B, NAMES.roleB))!.maxSessionDuration, 3600);
      await expectBroken(env, { link: 'role-b-session', message: /: 401 Unauthorized$/, detail: /InvalidParameter\.DurationSeconds/ });
      await setupAuth(env, 'rrsa', { expireDuration: 3600 });
      await installAddon(env, 'managed');
      await expectPulled(env);
    }));

  it('AccessKey deleted (AccessKey setup): 401 at access-key', () =>
    withEnv('default', PUBLIC_AK, async (env) => {
      assert.equal(await ram.deleteAccessKey(env.B, NAMES.userB, env.state.accessKey!.id), true);
      await expectBroken(env, { link: 'access-key', message: /: 401 Unauthorized$/, detail: new RegExp(escape(env.state.accessKey!.id)) });
      await setupAuth(env, 'access-key');
      await installAddon(env, 'self-managed');
      await expectPulled(env);
    }));

  it('RRSA disabled after setup: 401 at rrsa; enabled again, the helper must restart (rrsa-restart)', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      await expectPulled(env); // the helper's pod is running now
      await disableRrsa(env);
      await expectBroken(env, { link: 'rrsa', message: /: 401 Unauthorized$/, detail: /RRSA is not enabled/ });
      await setupAuth(env, 'rrsa');
      await expectBroken(env, { link: 'rrsa-restart', message: /: 401 Unauthorized$/ });
      assert.equal((await restartHelperIfOlderThan(env, env.state.rrsaEnabledAt!)).length, 1);
      await expectPulled(env);
    }));

  it('RRSA enabled after the helper started (seed: delete the helper pod): rrsa-restart until its pod is deleted', () =>
    withEnv('default', { network: 'peering', dns: 'privatezone', auth: 'worker-role', addon: 'self-managed' }, async (env) => {
      await expectPulled(env);
      const [started] = await helperPods(env);
      assert.ok(started, 'the helper runs a pod in kube-system');
      await setupAuth(env, 'rrsa');
      await installAddon(env, 'self-managed', { restartHelper: false });
      await expectBroken(env, { link: 'rrsa-restart', message: /: 401 Unauthorized$/, detail: /RRSA was enabled after the helper started/ });
      const { core } = await env.kube();
      await core.deleteNamespacedPod({ name: started, namespace: 'kube-system' });
      assert.notEqual((await helperPods(env))[0], started, 'its Deployment started a new pod');
      await expectPulled(env);
    }));

  it('helper configuration without this instance: 401 at helper-config', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      await installAddon(env, 'managed', { entry: (e) => ({ ...e, instanceId: 'cri-anotherinstance0' }) });
      await expectBroken(env, { link: 'helper-config', message: /: 401 Unauthorized$/, detail: new RegExp(`no entry for instance ${env.facts.instanceId}`) });
      await installAddon(env, 'managed');
      await expectPulled(env);
    }));

  it('pod in a namespace the helper does not watch: 401 at helper-scope', () =>
    withEnv('default', undefined, async (env) => {
      await setupAll(env, PEERING_RRSA, { watchNamespace: 'default' });
      await expectPulled(env, { namespace: 'default' });
      await expectBroken(env, { link: 'helper-scope', message: /: 401 Unauthorized$/, detail: /watches default, not namespace team-b/ }, { namespace: 'team-b' });
      await installAddon(env, 'managed', { watchNamespace: 'default,team-b' });
      await expectPulled(env, { namespace: 'team-b' });
    }));

  it('a tag that does not exist: not found at image', () =>
    withEnv('default', PEERING_RRSA, async (env) => {
      const image = `${env.facts.registryVpcDomain}/team/app:9.9.9`;
      await expectBroken(env, { link: 'image', message: new RegExp(`^failed to resolve reference "${escape(image)}": ${escape(image)}: not found$`) }, { image });
    }));

  it('peering requested but not yet accepted by B: no route can be added, the registry is unreachable', () =>
    withEnv('default', undefined, async (env) => {
      await linkRegistryVpc(env);
      await resolveServiceAddresses(env);
      const id = await ensurePeering(env, { accept: false });
      assert.equal((await peer.getVpcPeerConnectionAttribute(env.A, id))!.status, 'Accepting');
      const [table] = await vpc.describeRouteTableList(env.A, { vpcId: env.facts.vpcA });
      await assert.rejects(
        vpc.createRouteEntry(env.A, { routeTableId: table!.routeTableId, destinationCidrBlock: `${env.state.registryIp}/32`, nextHopType: 'VpcPeer', nextHopId: id }),
        (e: { code?: string }) => e.code === 'IncorrectStatus.VpcPeer',
      );
      await setupDns(env, 'privatezone');
      await setupAuth(env, 'rrsa');
      await installAddon(env, 'managed');
      await expectBroken(env, { link: 'network-registry', message: timeoutTo(env.state.registryIp!), detail: new RegExp(`sends ${escape(env.state.registryIp!)} to NatGateway ngw-\\w+, not towards ${env.facts.vpcB}`) });
      await setupNetwork(env, 'peering'); // B accepts; the routes follow
      await expectPulled(env);
    }));

  it("public endpoint whose ACL lost the cluster's NAT address (only the automatic 127.0.0.1/32 left): the registry times out", () =>
    withEnv('default', PUBLIC_AK, async (env) => {
      for (const entry of env.state.aclEntries!) await cr.deleteInstanceEndpointAclPolicy(env.B, { instanceId: env.facts.instanceId, entry, endpointType: 'Internet' });
      const acl = (await cr.getInstanceEndpoint(env.B, env.facts.instanceId, 'Internet'))!.aclEntries.map((a) => a.entry);
      assert.deepEqual(acl, ['127.0.0.1/32'], 'enabling the endpoint added 127.0.0.1/32 (ACR docs)');
      const publicIp = registryFacts(env.sandbox.world, env.facts.instanceId)!.internet.publicIp;
      const egress = await natEgressIps(env);
      await expectBroken(env, {
        link: 'network-registry',
        message: new RegExp(`^failed to do request: Head "https://${escape(env.facts.registryInternetDomain)}/v2/team/app/manifests/1\\.4\\.2": ${timeoutTo(publicIp).source}`),
        detail: new RegExp(`ACL \\(127\\.0\\.0\\.1/32\\) does not hold the cluster's egress address\\(es\\) ${escape(egress.join(', '))}`),
      });
      await setupNetwork(env, 'public');
      await expectPulled(env);
    }));

  it('public endpoint disabled again: the registry times out', () =>
    withEnv('default', PUBLIC_AK, async (env) => {
      await cr.updateInstanceEndpointStatus(env.B, { instanceId: env.facts.instanceId, enable: false, endpointType: 'Internet' });
      await expectBroken(env, { link: 'network-registry', message: /: dial tcp [0-9.]+:443: i\/o timeout$/, detail: /Internet endpoint of cri-\w+ is disabled/ });
      await setupNetwork(env, 'public');
      await expectPulled(env);
    }));
});

// Behaviours found missing while writing these tests, and fixed: each is what the real cloud does.
describe('helper lifecycle and session length', () => {
  it(
    'RRSA enabled after the add-on was installed but before any pod was pulled still needs the helper restarted (rrsa-restart)',
    () =>
      withEnv('default', { network: 'peering', dns: 'privatezone', auth: 'worker-role', addon: 'self-managed' }, async (env) => {
        // Nothing has been pulled yet, but the add-on is active: its pod has run in kube-system since the install.
        await setupAuth(env, 'rrsa');
        await installAddon(env, 'self-managed', { restartHelper: false });
        await expectBroken(env, { link: 'rrsa-restart', message: /: 401 Unauthorized$/ });
      }),
  );

  it(
    'installing the self-managed add-on creates kube-system/acr-configuration (the seed edits it afterwards)',
    () =>
      withEnv('default', undefined, async (env) => {
        await setupNetwork(env, 'peering');
        await setupAuth(env, 'worker-role');
        const addons = await import('../src/cloud/cs-addons.js');
        const cs = await import('../src/cloud/cs.js');
        const taskId = await addons.installClusterAddons(env.A, env.facts.clusterId, [{ name: 'aliyun-acr-credential-helper', config: '{"tokenMode":"auto"}' }]);
        for (let i = 0; i < 30 && (await cs.describeTaskInfo(env.A, taskId)).state === 'running'; i++);
        const { core } = await env.kube();
        const cm = await core.readNamespacedConfigMap({ name: 'acr-configuration', namespace: 'kube-system' });
        assert.ok(cm.data?.['acr-registry-info'] !== undefined);
      }),
  );

  it(
    "raising role B's MaxSessionDuration to the expireDuration (7200 s) makes the pull work (the seed's rule)",
    () =>
      withEnv('default', undefined, async (env) => {
        await setupNetwork(env, 'peering');
        await setupDns(env, 'privatezone');
        await setupAuth(env, 'rrsa', { expireDuration: 7200, maxSessionDuration: 7200 });
        await installAddon(env, 'managed');
        await expectPulled(env);
      }),
  );
});
