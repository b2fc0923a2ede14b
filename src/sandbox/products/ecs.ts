// ECS: instances (cluster nodes and machines in the registry's VPC), Cloud Assistant status, security groups,
// and Cloud Assistant commands (ecs-invocations.ts).
import { createHash } from 'node:crypto';

import { ApiError, type ProductModule, type RpcHandler } from '../api.js';
import { ecsState, type EcsInstanceRecord } from '../state/ecs.js';
import { invalidParameter } from '../spec-model.js';
import { ecsPage, invocationHandlers } from './ecs-invocations.js';

/** ECS writes instance times to the minute: `2026-11-01T08:00Z`. */
const minuteIso = (iso: string) => `${iso.slice(0, 16)}Z`;
const secondIso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);

/** A JSON-array parameter (`InstanceIds`, `PrivateIpAddresses`): at most 100 strings. */
function jsonList(name: string, value: unknown): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  let list: unknown;
  try {
    list = JSON.parse(String(value));
  } catch {
    throw invalidParameter(name);
  }
  if (!Array.isArray(list) || list.length > 100 || list.some((v) => typeof v !== 'string')) throw invalidParameter(name);
  return list as string[];
}

/** `*` matches any run of characters in InstanceName (the documented fuzzy match). */
const nameMatches = (name: string, filter: unknown) =>
  filter === undefined || new RegExp(`^${String(filter).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

function instanceTags(i: EcsInstanceRecord): { TagKey: string; TagValue: string }[] {
  const tags: { TagKey: string; TagValue: string }[] = [];
  if (i.clusterId) tags.push({ TagKey: 'ack.aliyun.com', TagValue: i.clusterId });
  if (i.nodePoolId) tags.push({ TagKey: 'ack.alibabacloud.com/nodepool-id', TagValue: i.nodePoolId });
  return tags;
}

function instanceView(i: EcsInstanceRecord) {
  const mac = hex(i.instanceId, 12).match(/../g)!.join(':');
  return {
    InstanceId: i.instanceId,
    InstanceName: i.name,
    HostName: i.hostName ?? `iZ${i.instanceId.slice(2)}Z`,
    Description: '',
    Status: i.status,
    RegionId: i.regionId,
    ZoneId: i.zoneId,
    InstanceType: i.instanceType ?? 'ecs.g7.xlarge',
    InstanceTypeFamily: (i.instanceType ?? 'ecs.g7.xlarge').split('.').slice(0, 2).join('.'),
    Cpu: 4,
    Memory: 16384,
    OSType: 'linux',
    OSName: i.osName ?? 'Alibaba Cloud Linux  3.2104 LTS 64位',
    OSNameEn: 'Alibaba Cloud Linux  3.2104 LTS 64 bit',
    ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
    InstanceNetworkType: 'vpc',
    VpcAttributes: { VpcId: i.vpcId, VSwitchId: i.vSwitchId, PrivateIpAddress: { IpAddress: [i.privateIp] }, NatIpAddress: '' },
    InnerIpAddress: { IpAddress: [] },
    PublicIpAddress: { IpAddress: i.publicIp ? [i.publicIp] : [] },
    EipAddress: { IpAddress: '', AllocationId: '', InternetChargeType: '' },
    SecurityGroupIds: { SecurityGroupId: i.securityGroupIds ?? [] },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: `eni-${hex(i.instanceId, 20)}`,
          Type: 'Primary',
          MacAddress: `00:16:3e:${mac.slice(9)}`,
          PrimaryIpAddress: i.privateIp,
          PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: i.privateIp, Primary: true }] },
        },
      ],
    },
    Tags: { Tag: instanceTags(i) },
    CreationTime: minuteIso(i.createdAt),
    StartTime: minuteIso(i.createdAt),
    ExpiredTime: '2099-12-31T15:59Z',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: -1,
    InternetMaxBandwidthOut: 0,
    SerialNumber: `${hex(i.instanceId, 8)}-${hex(i.instanceId + '1', 4)}-${hex(i.instanceId + '2', 4)}-${hex(i.instanceId + '3', 4)}-${hex(i.instanceId + '4', 12)}`,
    IoOptimized: true,
    DeviceAvailable: true,
    DeletionProtection: false,
    Recyclable: false,
    StoppedMode: i.status === 'Stopped' ? 'KeepCharging' : 'Not-applicable',
    ResourceGroupId: '',
    MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'optional', HttpPutResponseHopLimit: 1 },
    OperationLocks: { LockReason: [] },
  };
}

const STATUSES = ['Pending', 'Running', 'Starting', 'Stopping', 'Stopped'];

const handlers: Record<string, RpcHandler> = {
  DescribeInstances: (ctx, p) => {
    const ids = jsonList('InstanceIds', p.InstanceIds);
    const privateIps = jsonList('PrivateIpAddresses', p.PrivateIpAddresses);
    if (p.Status !== undefined && !STATUSES.includes(p.Status)) throw new ApiError('InvalidStatus.NotFound', 'The specified Status is not found.', 404);
    if (p.InstanceNetworkType !== undefined && !['vpc', 'classic'].includes(p.InstanceNetworkType)) {
      throw new ApiError('InvalidNetworkType.NotFound', 'The specified InstanceNetworkType is not found.', 404);
    }
    const tags: { Key?: string; Value?: string }[] = Array.isArray(p.Tag) ? p.Tag : [];
    const all = Object.values(ecsState(ctx.world, ctx.caller.accountId).instances)
      .filter((i) => i.regionId === ctx.region)
      .filter((i) => (p.VpcId ? i.vpcId === p.VpcId : true) && (p.VSwitchId ? i.vSwitchId === p.VSwitchId : true) && (p.ZoneId ? i.zoneId === p.ZoneId : true))
      .filter((i) => (ids ? ids.includes(i.instanceId) : true) && (privateIps ? privateIps.includes(i.privateIp) : true))
      .filter((i) => (p.Status ? i.status === p.Status : true) && nameMatches(i.name, p.InstanceName) && p.InstanceNetworkType !== 'classic')
      .filter((i) => (p.SecurityGroupId ? (i.securityGroupIds ?? []).includes(p.SecurityGroupId) : true))
      .filter((i) => tags.every((t) => instanceTags(i).some((x) => x.TagKey === t.Key && (t.Value === undefined || x.TagValue === t.Value))))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.instanceId.localeCompare(b.instanceId));
    const { items, meta } = ecsPage(all, p, { max: 100, defaultSize: 10 });
    return { ...meta, Instances: { Instance: items.map(instanceView) } };
  },

  DescribeCloudAssistantStatus: (ctx, p) => {
    const state = ecsState(ctx.world, ctx.caller.accountId);
    const ids: string[] | undefined = Array.isArray(p.InstanceId) && p.InstanceId.length > 0 ? p.InstanceId.map(String) : undefined;
    for (const id of ids ?? []) {
      if (state.instances[id]?.regionId !== ctx.region) throw new ApiError('InvalidInstance.NotFound', 'The specified instance does not exist.', 404);
    }
    // Without InstanceId every instance of the region is listed (assumed; the client always names its instances).
    const all = (ids ? ids.map((id) => state.instances[id]!) : Object.values(state.instances).filter((i) => i.regionId === ctx.region)).filter(
      (i) => p.OSType === undefined || String(p.OSType).toLowerCase() === 'linux',
    );
    const invocations = Object.values(state.invocations);
    const { items, meta } = ecsPage(all, p, { max: 50, defaultSize: 10 });
    return {
      ...meta,
      InstanceCloudAssistantStatusSet: {
        InstanceCloudAssistantStatus: items.map((i) => {
          const mine = invocations.filter((inv) => inv.instances.some((x) => x.instanceId === i.instanceId));
          const online = i.cloudAssistant && i.status === 'Running';
          const last = mine.reduce((m, inv) => Math.max(m, inv.createdAtMs), 0);
          return {
            InstanceId: i.instanceId,
            // "true: heartbeats in the last 2 minutes": a stopped instance or a missing agent sends none.
            CloudAssistantStatus: online ? 'true' : 'false',
            CloudAssistantVersion: i.cloudAssistant ? '2.2.3.857' : '',
            OSType: 'Linux',
            ...(online ? { LastHeartbeatTime: secondIso(ctx.world.data.nowMs - 30_000) } : {}),
            ...(last ? { LastInvokedTime: secondIso(last) } : {}),
            InvocationCount: mine.length,
            ActiveTaskCount: 0,
            SupportSessionManager: i.cloudAssistant,
          };
        }),
      },
    };
  },

  DescribeSecurityGroupAttribute: (ctx, p) => {
    const group = ecsState(ctx.world, ctx.caller.accountId).securityGroups[String(p.SecurityGroupId)];
    if (!group || group.regionId !== ctx.region) throw new ApiError('InvalidSecurityGroupId.NotFound', 'The specified SecurityGroupId does not exist.', 404);
    if (p.NicType !== undefined && !['internet', 'intranet'].includes(p.NicType)) throw new ApiError('InvalidNicType.ValueNotSupported', 'The specified NicType does not exist.', 400);
    if (p.Attribute !== undefined && p.Attribute !== 'snapshotPolicyIds') {
      throw new ApiError('InvalidParameter.AttributeNotSupported', 'The specified value for parameter Attribute is not supported. Valid values: snapshotPolicyIds.', 400);
    }
    const direction = p.Direction === undefined || p.Direction === 'all' ? undefined : String(p.Direction);
    return {
      SecurityGroupId: group.securityGroupId,
      SecurityGroupName: group.name,
      Description: group.description,
      RegionId: group.regionId,
      VpcId: group.vpcId,
      InnerAccessPolicy: group.innerAccessPolicy,
      Permissions: {
        Permission: group.rules
          .filter((r) => !direction || r.direction === direction)
          .map((r) => ({
            SecurityGroupRuleId: r.ruleId,
            Direction: r.direction,
            Policy: r.policy,
            IpProtocol: r.ipProtocol.toUpperCase(),
            PortRange: r.portRange,
            ...(r.direction === 'ingress' ? { SourceCidrIp: r.cidr, DestCidrIp: '' } : { DestCidrIp: r.cidr, SourceCidrIp: '' }),
            Priority: String(r.priority),
            NicType: 'intranet',
            Description: r.description,
            CreateTime: r.createdAt.replace(/\.\d{3}Z$/, 'Z'),
            SourcePortRange: '',
            Ipv6SourceCidrIp: '',
            Ipv6DestCidrIp: '',
          })),
      },
      ...(p.Attribute === 'snapshotPolicyIds' ? { SnapshotPolicyIds: { SnapshotPolicyId: [] } } : {}),
    };
  },
};

export const ecs: ProductModule = { product: 'ecs', rpc: { ...handlers, ...invocationHandlers }, roa: {} };
