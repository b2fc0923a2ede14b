// ECS instances of one account: cluster nodes and other machines, each with its own /etc/hosts and Cloud Assistant.
import type { World } from '../world.js';

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
}

export interface EcsSlice {
  instances: Record<string, EcsInstanceRecord>;
  invocations: Record<string, unknown>;
}

export function ecsState(world: World, accountId: string): EcsSlice {
  return world.slice<EcsSlice>(accountId, 'ecs', () => ({ instances: {}, invocations: {} }));
}

export function seedInstance(world: World, accountId: string, input: Omit<EcsInstanceRecord, 'instanceId' | 'status' | 'createdAt' | 'hosts'> & { hosts?: string[] }): EcsInstanceRecord {
  const record: EcsInstanceRecord = {
    ...input,
    instanceId: world.nextId('i-'),
    status: 'Running',
    hosts: input.hosts ?? ['127.0.0.1 localhost', '::1 localhost'],
    createdAt: world.now.toISOString(),
  };
  ecsState(world, accountId).instances[record.instanceId] = record;
  return record;
}
