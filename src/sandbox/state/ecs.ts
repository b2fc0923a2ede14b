// ECS instances of one account: cluster nodes and other machines, each with its own /etc/hosts and Cloud Assistant;
// their security groups; and the Cloud Assistant invocations (RunCommand) with each instance's result.
import type { World } from '../world.js';
import { vpcState } from './vpc.js';

/** The lines that fence our block in a node's /etc/hosts; the tool's scripts and user data use the same two lines. */
export const HOSTS_BLOCK_BEGIN = '# BEGIN acr-xaccount';
export const HOSTS_BLOCK_END = '# END acr-xaccount';

export interface EcsInstanceRecord {
  instanceId: string;
  regionId: string;
  zoneId: string;
  vpcId: string;
  vSwitchId: string;
  privateIp: string;
  name: string;
  status: 'Running' | 'Stopped';
  /** Cloud Assistant agent installed and online. */
  cloudAssistant: boolean;
  /** The node's /etc/hosts, as lines. */
  hosts: string[];
  /** The cluster and node pool it belongs to, for nodes. */
  clusterId?: string;
  nodePoolId?: string;
  /** RAM role attached to the instance (worker role for nodes). */
  ramRoleName?: string;
  publicIp?: string;
  createdAt: string;
  /** Security groups the primary NIC is in; seedInstance puts the instance in its VPC's default group when absent. */
  securityGroupIds?: string[];
  instanceType?: string;
  hostName?: string;
  osName?: string;
}

export interface SecurityGroupRuleRecord {
  ruleId: string;
  direction: 'ingress' | 'egress';
  policy: 'Accept' | 'Drop';
  /** `tcp`, `udp`, `icmp`, `gre` or `all` (the API answers in upper case: `TCP`, `ALL`). */
  ipProtocol: string;
  /** `22/22`, `-1/-1` for all. */
  portRange: string;
  /** The peer CIDR: source for ingress, destination for egress. */
  cidr: string;
  priority: number;
  description: string;
  createdAt: string;
}

export interface SecurityGroupRecord {
  securityGroupId: string;
  regionId: string;
  vpcId: string;
  name: string;
  description: string;
  /** `Accept`: instances in the group reach each other (the default for basic groups). */
  innerAccessPolicy: 'Accept' | 'Drop';
  rules: SecurityGroupRuleRecord[];
}

/** One instance's part of an invocation, decided when the command runs. */
export interface InvocationInstanceRecord {
  instanceId: string;
  /** The final per-instance state (InvocationStatus): Pending/Running are derived from the clock before it. */
  finalStatus: 'Success' | 'Failed' | 'Aborted';
  exitCode?: number;
  output: string;
  /** e.g. `ClientNotRunning`, `InstanceNotRunning`, `ExitCodeNonzero`; empty on success. */
  errorCode: string;
  errorInfo: string;
}

export interface InvocationRecord {
  invokeId: string;
  commandId: string;
  regionId: string;
  name: string;
  description: string;
  /** `RunShellScript`. */
  type: string;
  /** The script as the instance ran it (decoded when sent as Base64). */
  content: string;
  timeoutSeconds: number;
  username: string;
  workingDir: string;
  createdAtMs: number;
  instances: InvocationInstanceRecord[];
}

export interface EcsSlice {
  instances: Record<string, EcsInstanceRecord>;
  invocations: Record<string, InvocationRecord>;
  securityGroups: Record<string, SecurityGroupRecord>;
}

export function ecsState(world: World, accountId: string): EcsSlice {
  const slice = world.slice<EcsSlice>(accountId, 'ecs', () => ({ instances: {}, invocations: {}, securityGroups: {} }));
  slice.securityGroups ??= {}; // worlds saved before security groups existed
  return slice;
}

/** Finds an instance in any account (other products name an instance; its owner follows from where it lives). */
export function findInstance(world: World, instanceId: string): { accountId: string; instance: EcsInstanceRecord } | undefined {
  for (const accountId of world.accountIds()) {
    const instance = ecsState(world, accountId).instances[instanceId];
    if (instance) return { accountId, instance };
  }
  return undefined;
}

/** Instances of a VPC (e.g. the nodes a hosts block must reach, or a machine to resolve names from). */
export function instancesInVpc(world: World, accountId: string, vpcId: string): EcsInstanceRecord[] {
  return Object.values(ecsState(world, accountId).instances).filter((i) => i.vpcId === vpcId);
}

export function seedSecurityGroup(
  world: World,
  accountId: string,
  input: { regionId: string; vpcId: string; name: string; description?: string; rules?: Omit<SecurityGroupRuleRecord, 'ruleId' | 'createdAt'>[] },
): SecurityGroupRecord {
  const createdAt = world.now.toISOString();
  const group: SecurityGroupRecord = {
    securityGroupId: world.nextId('sg-'),
    regionId: input.regionId,
    vpcId: input.vpcId,
    name: input.name,
    description: input.description ?? '',
    innerAccessPolicy: 'Accept',
    rules: (input.rules ?? []).map((r) => ({ ...r, ruleId: world.nextId('sgr-'), createdAt })),
  };
  ecsState(world, accountId).securityGroups[group.securityGroupId] = group;
  return group;
}

/** The group every seeded instance of a VPC lands in unless told otherwise: all egress, ingress from the VPC. */
function defaultSecurityGroup(world: World, accountId: string, regionId: string, vpcId: string): SecurityGroupRecord {
  const existing = Object.values(ecsState(world, accountId).securityGroups).find((g) => g.vpcId === vpcId && g.name === 'sg-default');
  if (existing) return existing;
  const vpcCidr = vpcState(world, accountId).vpcs[vpcId]?.cidrBlock ?? '0.0.0.0/0';
  const rule = (direction: 'ingress' | 'egress', cidr: string) => ({ direction, policy: 'Accept' as const, ipProtocol: 'all', portRange: '-1/-1', cidr, priority: 1, description: '' });
  return seedSecurityGroup(world, accountId, { regionId, vpcId, name: 'sg-default', rules: [rule('ingress', vpcCidr), rule('egress', '0.0.0.0/0')] });
}

export type SeedInstanceInput = Omit<EcsInstanceRecord, 'instanceId' | 'status' | 'createdAt' | 'hosts'> & {
  hosts?: string[];
  status?: EcsInstanceRecord['status'];
};

export function seedInstance(world: World, accountId: string, input: SeedInstanceInput): EcsInstanceRecord {
  const record: EcsInstanceRecord = {
    ...input,
    instanceId: world.nextId('i-'),
    status: input.status ?? 'Running',
    hosts: input.hosts ?? ['127.0.0.1 localhost', '::1 localhost'],
    createdAt: world.now.toISOString(),
    securityGroupIds: input.securityGroupIds ?? [defaultSecurityGroup(world, accountId, input.regionId, input.vpcId).securityGroupId],
  };
  ecsState(world, accountId).instances[record.instanceId] = record;
  return record;
}

const isBegin = (line: string) => line.trim() === HOSTS_BLOCK_BEGIN;
const isEnd = (line: string) => line.trim() === HOSTS_BLOCK_END;

/** The lines between our markers, or undefined when the hosts file has no block. */
export function hostsBlock(hosts: readonly string[]): string[] | undefined {
  const begin = hosts.findIndex(isBegin);
  if (begin < 0) return undefined;
  const end = hosts.findIndex((l, i) => i > begin && isEnd(l));
  return hosts.slice(begin + 1, end < 0 ? hosts.length : end);
}

/**
 * A hosts file with our block replaced by `block` (appended when there was none; removed when `block` is empty).
 * Every other line stays, and any stray second block is dropped, so running the same script twice leaves one block.
 */
export function replaceHostsBlock(hosts: readonly string[], block: readonly string[]): string[] {
  const kept: string[] = [];
  let inside = false;
  for (const line of hosts) {
    if (!inside && isBegin(line)) inside = true;
    else if (inside && isEnd(line)) inside = false;
    else if (!inside) kept.push(line);
  }
  return block.length === 0 ? kept : [...kept, HOSTS_BLOCK_BEGIN, ...block, HOSTS_BLOCK_END];
}
