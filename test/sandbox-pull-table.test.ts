// The sandbox's pull decision, end to end (part 2 of 2; part 1 is sandbox-pull-links.test.ts): from a correct
// setup (done by hand through the real clients, test/helpers/manual-setup.ts), break one link at a time. Neither
// the decision nor a real pod may ever report success while a link is broken, the decision must name that link,
// and re-running the setup steps must repair it (the steps are idempotent).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as cbnRoutes from '../src/cloud/cbn-routes.js';
import * as cr from '../src/cloud/cr.js';
import * as pvtz from '../src/cloud/pvtz.js';
import * as ram from '../src/cloud/ram.js';
import * as peer from '../src/cloud/vpcpeer.js';
import type { PullLink } from '../src/sandbox/pull.js';
import {
  decidePull,
  deleteRoutes,
  disableRrsa,
  expectPulled,
  installAddon,
  NAMES,
  openEnv,
  setupAll,
  testPull,
  trustOidc,
  trustRam,
  type AddonEdition,
  type AuthKind,
  type DnsKind,
  type Env,
  type MadeRoute,
  type NetworkKind,
  type PullOptions,
} from './helpers/manual-setup.js';

type Combo = { network: NetworkKind; dns?: DnsKind; auth: AuthKind; addon: AddonEdition };

interface Row {
  name: string;
  link: PullLink;
  pull?: PullOptions;
  breakIt: (env: Env) => Promise<unknown>;
}

/** One world set up with `combo`; each row breaks it, is checked, and is repaired by running every step again. */
function table(title: string, scenario: string, combo: Combo, rows: Row[]): void {
  describe(title, () => {
    let env: Env;
    before(async () => {
      env = await openEnv(scenario);
      await setupAll(env, combo);
      await expectPulled(env);
    });
    after(() => env.close());

    for (const row of rows) {
      it(`${row.name} -> ${row.link}`, async () => {
        await row.breakIt(env);
        const decision = decidePull(env, row.pull);
        assert.equal(decision.ok, false, `the decision says the pull works: ${JSON.stringify(decision)}`);
        if (!decision.ok) assert.equal(decision.link, row.link, `${decision.message} (${decision.detail})`);
        const pull = await testPull(env, row.pull);
        assert.equal(pull.ok, false, `the pod pulled: ${pull.message}`);
        await setupAll(env, combo);
        const repaired = decidePull(env);
        assert.ok(repaired.ok, `not repaired by re-running the steps: ${JSON.stringify(repaired)}`);
      });
    }

    it('ends where it started: the pod pulls', async () => {
      await expectPulled(env);
    });
  });
}

const routeTo = (purpose: MadeRoute['purpose']) => (env: Env) => deleteRoutes(env, (r) => r.purpose === purpose);
const policyVersion = (statements: ram.PolicyStatement[]) => (env: Env) => ram.createPolicyVersion(env.B, NAMES.policyB, { Version: '1', Statement: statements }, { rotateOldest: true });
const helperEntry = (change: (e: Record<string, unknown>) => Record<string, unknown>, edition: AddonEdition) => (env: Env) => installAddon(env, edition, { entry: change });

/** Links every setup shares: DNS, role B, its policy, the helper's entry and scope, the image. */
const common = (edition: AddonEdition): Row[] => [
  { name: 'PrivateZone record deleted', link: 'dns-registry', breakIt: (env) => pvtz.deleteZoneRecord(env.A, env.state.zone!.recordId) },
  { name: "zone unbound from A's VPC", link: 'dns-registry', breakIt: (env) => pvtz.removeZoneVpcBinding(env.A, env.state.zone!.zoneId, env.facts.vpcA) },
  { name: 'record points at a wrong address', link: 'network-registry', breakIt: (env) => pvtz.updateZoneRecord(env.A, { recordId: env.state.zone!.recordId, rr: '@', value: '172.16.0.250' }) },
  { name: 'role B trusts someone else', link: 'role-b-trust', breakIt: (env) => ram.updateRole(env.B, NAMES.roleB, { trustPolicy: { Version: '1', Statement: [trustRam(`acs:ram::${env.facts.accountB}:root`)] } }) },
  { name: 'role B lost its pull policy', link: 'permission', breakIt: (env) => ram.detachPolicyFromRole(env.B, NAMES.roleB, NAMES.policyB) },
  { name: 'pull policy without cr:PullRepository', link: 'permission', breakIt: policyVersion([{ Effect: 'Allow', Action: ['cr:GetAuthorizationToken', 'cr:ListInstanceEndpoint'], Resource: '*' }]) },
  { name: 'pull policy without cr:GetAuthorizationToken', link: 'permission', breakIt: policyVersion([{ Effect: 'Allow', Action: ['cr:ListInstanceEndpoint', 'cr:PullRepository'], Resource: '*' }]) },
  { name: 'pull policy with an explicit Deny', link: 'permission', breakIt: policyVersion([{ Effect: 'Allow', Action: 'cr:*', Resource: '*' }, { Effect: 'Deny', Action: 'cr:PullRepository', Resource: '*' }]) },
  { name: 'helper entry names another instance', link: 'helper-config', breakIt: helperEntry((e) => ({ ...e, instanceId: 'cri-anotherinstance0' }), edition) },
  { name: 'helper entry names another domain only', link: 'helper-config', breakIt: helperEntry((e) => ({ ...e, domains: 'other-registry-vpc.cn-hangzhou.cr.aliyuncs.com' }), edition) },
  { name: 'helper entry without assumeRoleARN', link: 'helper-config', breakIt: helperEntry(({ assumeRoleARN: _drop, ...e }) => e, edition) },
  { name: 'helper watches another namespace', link: 'helper-scope', breakIt: (env) => installAddon(env, edition, { watchNamespace: 'kube-system' }) },
  { name: 'helper patches another service account', link: 'helper-scope', breakIt: (env) => installAddon(env, edition, { serviceAccount: 'builder' }) },
  { name: "expireDuration above role B's MaxSessionDuration", link: 'role-b-session', breakIt: helperEntry((e) => ({ ...e, expireDuration: 7200 }), edition) },
  { name: 'tag does not exist', link: 'image', pull: { repository: 'team/app:0.0.0' }, breakIt: async () => undefined },
  { name: 'repository does not exist', link: 'image', pull: { repository: 'team/nosuch:1.0' }, breakIt: async () => undefined },
];

const rrsaRows: Row[] = [
  { name: 'RRSA disabled', link: 'rrsa', breakIt: disableRrsa },
  { name: "role A's trust has the wrong oidc:sub", link: 'role-a-trust', breakIt: (env) => ram.updateRole(env.A, NAMES.roleA, { trustPolicy: { Version: '1', Statement: [trustOidc(env.state.rrsa!, 'system:serviceaccount:kube-system:default')] } }) },
  {
    name: "role A's trust has the wrong oidc:aud",
    link: 'role-a-trust',
    breakIt: (env) => {
      const statement = trustOidc(env.state.rrsa!);
      statement.Condition!.StringEquals!['oidc:aud'] = 'another-audience';
      return ram.updateRole(env.A, NAMES.roleA, { trustPolicy: { Version: '1', Statement: [statement] } });
    },
  },
  { name: "role A's trust names another OIDC provider", link: 'role-a-trust', breakIt: (env) => ram.updateRole(env.A, NAMES.roleA, { trustPolicy: { Version: '1', Statement: [trustOidc({ ...env.state.rrsa!, oidcArn: `acs:ram::${env.facts.accountA}:oidc-provider/ack-rrsa-other` })] } }) },
  { name: 'role A may not assume role B (policy detached)', link: 'role-b-trust', breakIt: (env) => ram.detachPolicyFromRole(env.A, NAMES.roleA, NAMES.policyA) },
  { name: 'helper entry names another RRSA role', link: 'role-a-trust', breakIt: (env) => installAddon(env, 'managed', { entry: (e) => ({ ...e, rrsaRoleARN: `acs:ram::${env.facts.accountA}:role/nosuch` }) }) },
];

table('peering + PrivateZone + RRSA + managed add-on: no broken link reads as success', 'default', { network: 'peering', dns: 'privatezone', auth: 'rrsa', addon: 'managed' }, [
  { name: 'registry route deleted in A', link: 'network-registry', breakIt: routeTo('registry') },
  { name: 'auth route deleted in A', link: 'network-auth', breakIt: routeTo('auth') },
  { name: 'OSS route deleted in A', link: 'network-oss', breakIt: routeTo('oss') },
  { name: 'return routes deleted in B', link: 'network-registry', breakIt: routeTo('return') },
  { name: 'peering deleted (Force)', link: 'network-registry', breakIt: (env) => peer.deleteVpcPeerConnection(env.A, env.state.peeringId!, { force: true }) },
  { name: "B's linked VPC removed", link: 'network-registry', breakIt: (env) => cr.deleteInstanceVpcEndpointLinkedVpc(env.B, { instanceId: env.facts.instanceId, vpcId: env.facts.vpcB, vswitchId: env.facts.vswitchesB[0]! }) },
  ...rrsaRows,
  ...common('managed'),
]);

table('CEN + PrivateZone + worker role + self-managed add-on: no broken link reads as success', 'default', { network: 'cen', dns: 'privatezone', auth: 'worker-role', addon: 'self-managed' }, [
  { name: 'registry route to the attachment deleted in A', link: 'network-registry', breakIt: routeTo('registry') },
  { name: 'OSS route to the attachment deleted in A', link: 'network-oss', breakIt: routeTo('oss') },
  { name: 'return routes deleted in B', link: 'network-registry', breakIt: routeTo('return') },
  { name: "static TR route to the auth service deleted", link: 'network-auth', breakIt: (env) => cbnRoutes.deleteTransitRouterRouteEntry(env.A, { routeTableId: env.state.cen!.rtB, destinationCidrBlock: `${env.state.authIp}/32`, nextHopType: 'Attachment', nextHopId: env.state.cen!.attB }) },
  { name: "B's attachment dissociated from the TR route table", link: 'network-registry', breakIt: (env) => cbnRoutes.dissociateTransitRouterAttachmentFromRouteTable(env.A, { attachmentId: env.state.cen!.attB, routeTableId: env.state.cen!.rtB }) },
  { name: "B's attachment no longer propagates its vSwitches", link: 'network-registry', breakIt: (env) => cbnRoutes.disableTransitRouterRouteTablePropagation(env.A, { attachmentId: env.state.cen!.attB, routeTableId: env.state.cen!.rtB }) },
  { name: 'the worker role may not assume role B (policy detached)', link: 'role-b-trust', breakIt: (env) => ram.detachPolicyFromRole(env.A, env.state.workerRoleName!, NAMES.workerPolicy) },
  { name: 'role B trusts the RRSA role, not the worker role', link: 'role-b-trust', breakIt: (env) => ram.updateRole(env.B, NAMES.roleB, { trustPolicy: { Version: '1', Statement: [trustRam(`acs:ram::${env.facts.accountA}:role/${NAMES.roleA}`)] } }) },
  { name: 'acr-configuration deleted', link: 'helper', breakIt: async (env) => (await env.kube()).core.deleteNamespacedConfigMap({ name: 'acr-configuration', namespace: 'kube-system' }) },
  ...common('self-managed'),
]);

table('public endpoint + AccessKey + self-managed add-on: no broken link reads as success', 'default', { network: 'public', auth: 'access-key', addon: 'self-managed' }, [
  { name: 'ACL entries for the NAT EIPs deleted', link: 'network-registry', breakIt: async (env) => { for (const entry of env.state.aclEntries!) await cr.deleteInstanceEndpointAclPolicy(env.B, { instanceId: env.facts.instanceId, entry, endpointType: 'Internet' }); } },
  { name: 'Internet endpoint disabled', link: 'network-registry', breakIt: (env) => cr.updateInstanceEndpointStatus(env.B, { instanceId: env.facts.instanceId, enable: false, endpointType: 'Internet' }) },
  { name: 'AccessKey deleted', link: 'access-key', breakIt: (env) => ram.deleteAccessKey(env.B, NAMES.userB, env.state.accessKey!.id) },
  { name: 'helper holds a wrong AccessKey secret', link: 'access-key', breakIt: (env) => installAddon(env, 'self-managed', { entry: (e) => ({ ...e, customAccessKeySecret: 'not-the-secret' }) }) },
  { name: 'RAM user lost the pull policy', link: 'permission', breakIt: (env) => ram.detachPolicyFromUser(env.B, NAMES.userB, NAMES.policyB) },
  { name: 'the VPC domain is used without a private network', link: 'network-registry', pull: { image: 'acme-images-registry-vpc.cn-hangzhou.cr.aliyuncs.com/team/app:1.4.2' }, breakIt: async () => undefined },
  { name: 'tag does not exist', link: 'image', pull: { repository: 'team/app:0.0.0' }, breakIt: async () => undefined },
]);
