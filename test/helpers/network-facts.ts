// Hand-built discovery facts for the network step's planner tests (plan and teardown): two VPCs, their route
// tables, and the finished peering setup, as the cloud would report them.
import assert from 'node:assert/strict';

import type { RouteEntry, VSwitch, VpcAttribute } from '../../src/cloud/vpc.js';
import type { AccountClient } from '../../src/cloud/session.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { Action } from '../../src/plan/action.js';
import { type NetworkFacts, type RouteTableFacts } from '../../src/steps/network/facts.js';
import { MARKER } from '../../src/steps/marker.js';
import type { StepClients } from '../../src/steps/step.js';

export const clients: StepClients = { A: {} as AccountClient, B: {} as AccountClient, kubeconfig: async () => '', pollIntervalMs: 1 };

export function config(network: Record<string, unknown>): Config {
  return configSchema.parse({
    apiVersion: 'acr-xaccount/v1',
    accountA: { region: 'cn-hangzhou', clusterId: 'c1234567890' },
    accountB: { region: 'cn-hangzhou', instanceId: 'cri-abc' },
    network,
    auth: { mode: 'rrsa' },
    addon: { edition: 'managed' },
  });
}

export const vpc = (vpcId: string, cidrBlock: string, extra: Partial<VpcAttribute> = {}): VpcAttribute => ({
  vpcId, vpcName: '', regionId: 'cn-hangzhou', status: 'Available', cidrBlock, secondaryCidrBlocks: [], userCidrs: [], vSwitchIds: [], routerId: '',
  description: '', isDefault: false, tags: {}, associatedCens: [], ...extra,
});
export const vsw = (vSwitchId: string, vpcId: string, cidrBlock: string, zoneId: string, routeTableId: string): VSwitch => ({
  vSwitchId, vSwitchName: '', vpcId, zoneId, cidrBlock, status: 'Available', availableIpAddressCount: 200, routeTableId, routeTableType: 'System', tags: {},
});
export const route = (routeTableId: string, destinationCidrBlock: string, nextHopType: string, nextHopId: string, extra: Partial<RouteEntry> = {}): RouteEntry => ({
  routeEntryId: `rte-${destinationCidrBlock}`, routeTableId, destinationCidrBlock, routeEntryName: '', description: '', status: 'Available', type: 'Custom',
  nextHops: [{ nextHopType, nextHopId }], ...extra,
});
export const ours = (name: string) => ({ routeEntryName: name, description: MARKER });

/** Peering facts: A 192.168.0.0/16 with two node vSwitches on one table, B 172.16.0.0/16; nothing made yet. */
export function peeringFacts(over: Partial<NetworkFacts> = {}): NetworkFacts {
  const tableA: RouteTableFacts = { routeTableId: 'vtb-a', type: 'System', entries: [route('vtb-a', '192.168.0.0/24', 'local', '', { type: 'System' })] };
  const tableB: RouteTableFacts = { routeTableId: 'vtb-b', type: 'System', entries: [] };
  return {
    mode: 'peering', accountA: '111', accountB: '222', regionA: 'cn-hangzhou', regionB: 'cn-hangzhou', clusterId: 'c1234567890', instanceId: 'cri-abc',
    enterprise: true, registryVpcDomain: 'acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com', registryInternetDomain: 'acme-registry.cn-hangzhou.cr.aliyuncs.com',
    cluster: {
      vpc: vpc('vpc-a', '192.168.0.0/16'),
      vSwitches: [vsw('vsw-a1', 'vpc-a', '192.168.0.0/24', 'cn-hangzhou-h', 'vtb-a'), vsw('vsw-a2', 'vpc-a', '192.168.1.0/24', 'cn-hangzhou-i', 'vtb-a')],
      routeTables: [tableA],
      podCidr: '172.20.0.0/16',
      serviceCidr: '172.21.0.0/20',
    },
    registry: {
      vpc: vpc('vpc-b', '172.16.0.0/16'), vpcReason: 'the only VPC', linkedCount: 0, linkVSwitchId: 'vsw-b1', routeTables: [tableB],
      vSwitches: [vsw('vsw-b1', 'vpc-b', '172.16.0.0/24', 'cn-hangzhou-h', 'vtb-b'), vsw('vsw-b2', 'vpc-b', '172.16.1.0/24', 'cn-hangzhou-i', 'vtb-b')],
      addresses: { authDomain: 'dockerauth-vpc.cn-hangzhou.aliyuncs.com', ossDomain: 'cri-abc-registry.oss-cn-hangzhou-internal.aliyuncs.com', probeInstanceId: 'i-probe', candidates: [] },
    },
    peering: {},
    problems: [],
    ...over,
  };
}

/** The same world once everything was made: link RUNNING, addresses known, peering Activated, every route ours. */
export function finishedPeering(): NetworkFacts {
  const f = peeringFacts();
  const r = f.registry!;
  r.link = { vpcId: 'vpc-b', vswitchId: 'vsw-b1', ip: '172.16.0.252', status: 'RUNNING', defaultAccess: false };
  r.linkedCount = 1;
  Object.assign(r.addresses, { authIp: '100.103.1.2', ossIp: '100.118.3.4', source: 'Cloud Assistant lookup t-1 on i-probe' });
  f.peering = { existing: { instanceId: 'pcc-1', status: 'Activated', description: MARKER, vpc: { vpcId: 'vpc-a', ipv4Cidrs: [], ipv6Cidrs: [] }, acceptingVpc: { vpcId: 'vpc-b', ipv4Cidrs: [], ipv6Cidrs: [] }, acceptingOwnerUid: '222', tags: {} } };
  f.cluster.routeTables[0]!.entries.push(
    route('vtb-a', '172.16.0.252/32', 'VpcPeer', 'pcc-1', ours('acr-xaccount-registry')),
    route('vtb-a', '100.103.1.2/32', 'VpcPeer', 'pcc-1', ours('acr-xaccount-auth')),
    route('vtb-a', '100.118.3.4/32', 'VpcPeer', 'pcc-1', ours('acr-xaccount-oss')),
  );
  r.routeTables[0]!.entries.push(route('vtb-b', '192.168.0.0/24', 'VpcPeer', 'pcc-1', ours('acr-xaccount-return')), route('vtb-b', '192.168.1.0/24', 'VpcPeer', 'pcc-1', ours('acr-xaccount-return')));
  return f;
}

export const changes = (actions: Action[]) => Object.fromEntries(actions.map((a) => [a.id, a.change]));
export const byId = (actions: Action[], id: string) => actions.find((a) => a.id === id) ?? assert.fail(`no action ${id}: ${actions.map((a) => a.id).join(', ')}`);
