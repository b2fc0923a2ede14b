// ECS: instances and Cloud Assistant (run a shell script on existing nodes, or resolve names inside a VPC).
import type { AccountClient } from './session.js';
import { pageByToken } from './paging.js';
import { sdkCaller, sdkRequest as req } from './sdk-call.js';

const ecs = sdkCaller('ecs');

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const fromBase64 = (text: string | undefined) => (text ? Buffer.from(text, 'base64').toString('utf8') : '');

// ---- instances ----

export interface EcsInstance {
  instanceId: string;
  instanceName: string;
  hostName: string;
  /** `Running`, `Stopped`, ... */
  status: string;
  vpcId: string;
  vSwitchId: string;
  zoneId: string;
  privateIps: string[];
  publicIps: string[];
  eipAddress?: string;
  osType: string;
  osName: string;
}

export interface InstanceFilter {
  vpcId?: string;
  vSwitchId?: string;
  /** Looked up 100 at a time. */
  instanceIds?: string[];
}

/** Instances of a VPC (or vSwitch) and/or by ID, all pages. */
export async function describeInstances(acct: AccountClient, filter: InstanceFilter): Promise<EcsInstance[]> {
  const idGroups = filter.instanceIds ? chunks(filter.instanceIds, 100) : [undefined];
  const out: EcsInstance[] = [];
  for (const ids of idGroups) {
    if (ids?.length === 0) continue;
    const page = await pageByToken(async (nextToken) => {
      const params = {
        RegionId: acct.region, VpcId: filter.vpcId, VSwitchId: filter.vSwitchId, InstanceIds: ids ? JSON.stringify(ids) : undefined,
        MaxResults: 100, NextToken: nextToken,
      };
      const res = await ecs(acct, { action: 'DescribeInstances', params }, (c, m, rt) => c.describeInstancesWithOptions(req(m.DescribeInstancesRequest, params), rt));
      const items = (res.body?.instances?.instance ?? []).map((i) => ({
        instanceId: i.instanceId ?? '', instanceName: i.instanceName ?? '', hostName: i.hostName ?? '', status: i.status ?? '',
        vpcId: i.vpcAttributes?.vpcId ?? '', vSwitchId: i.vpcAttributes?.vSwitchId ?? '', zoneId: i.zoneId ?? '',
        privateIps: i.vpcAttributes?.privateIpAddress?.ipAddress ?? i.innerIpAddress?.ipAddress ?? [],
        publicIps: i.publicIpAddress?.ipAddress ?? [], eipAddress: i.eipAddress?.ipAddress || undefined, osType: i.OSType ?? '',
        osName: i.OSName ?? '',
      }));
      return { items, nextToken: res.body?.nextToken };
    });
    out.push(...page);
  }
  return out;
}

// ---- Cloud Assistant ----

export interface CloudAssistantStatus {
  instanceId: string;
  /** The agent is installed and reporting. */
  online: boolean;
  version: string;
  osType: string;
  lastHeartbeatTime?: string;
}

/** Whether the Cloud Assistant agent runs on each instance (asked 50 at a time). */
export async function describeCloudAssistantStatus(acct: AccountClient, instanceIds: string[]): Promise<CloudAssistantStatus[]> {
  const out: CloudAssistantStatus[] = [];
  for (const ids of chunks(instanceIds, 50)) {
    const page = await pageByToken(async (nextToken) => {
      const params = { RegionId: acct.region, InstanceId: ids, MaxResults: 50, NextToken: nextToken };
      const res = await ecs(acct, { action: 'DescribeCloudAssistantStatus', params }, (c, m, rt) =>
        c.describeCloudAssistantStatusWithOptions(req(m.DescribeCloudAssistantStatusRequest, params), rt),
      );
      const items = (res.body?.instanceCloudAssistantStatusSet?.instanceCloudAssistantStatus ?? []).map((s) => ({
        instanceId: s.instanceId ?? '', online: s.cloudAssistantStatus === 'true', version: s.cloudAssistantVersion ?? '',
        osType: s.OSType ?? '', lastHeartbeatTime: s.lastHeartbeatTime,
      }));
      return { items, nextToken: res.body?.nextToken };
    });
    out.push(...page);
  }
  return out;
}

export interface RunCommandInput {
  /** Up to 100 instances. */
  instanceIds: string[];
  /** A shell script (RunShellScript), sent as plain text. */
  commandContent: string;
  /** Seconds before Cloud Assistant kills the script (API default 60). */
  timeoutSeconds?: number;
  name?: string;
  description?: string;
}

/** Runs a shell script on instances now, without keeping the command. Returns the InvokeId to poll. */
export async function runCommand(acct: AccountClient, input: RunCommandInput): Promise<{ invokeId: string; commandId: string }> {
  const params = {
    RegionId: acct.region, Type: 'RunShellScript', CommandContent: input.commandContent, ContentEncoding: 'PlainText',
    InstanceId: input.instanceIds, Timeout: input.timeoutSeconds, Name: input.name, Description: input.description,
  };
  const res = await ecs(acct, { action: 'RunCommand', params }, (c, m, rt) => c.runCommandWithOptions(req(m.RunCommandRequest, params), rt));
  return { invokeId: res.body?.invokeId ?? '', commandId: res.body?.commandId ?? '' };
}

export interface InstanceInvocation {
  instanceId: string;
  /** `Pending`, `Running`, `Success`, `Failed`, `Stopped`, `Invalid`... */
  invocationStatus: string;
  exitCode?: number;
  /** Decoded from base64. */
  output: string;
  errorCode: string;
  errorInfo: string;
  finishTime?: string;
}

export interface Invocation {
  invokeId: string;
  commandId: string;
  commandName: string;
  /** Overall status: `Pending`, `Running`, `Success`, `Failed`, `PartialFailed`, `Stopped`... */
  invocationStatus: string;
  /** Decoded from base64. */
  commandContent: string;
  instances: InstanceInvocation[];
}

/** Invocations by InvokeId and/or InstanceId, with each instance's output. */
export async function describeInvocations(acct: AccountClient, filter: { invokeId?: string; instanceId?: string }): Promise<Invocation[]> {
  return pageByToken(async (nextToken) => {
    const params = {
      RegionId: acct.region, InvokeId: filter.invokeId, InstanceId: filter.instanceId, IncludeOutput: true, ContentEncoding: 'Base64',
      MaxResults: 50, NextToken: nextToken,
    };
    const res = await ecs(acct, { action: 'DescribeInvocations', params }, (c, m, rt) => c.describeInvocationsWithOptions(req(m.DescribeInvocationsRequest, params), rt));
    const items = (res.body?.invocations?.invocation ?? []).map((v) => ({
      invokeId: v.invokeId ?? '', commandId: v.commandId ?? '', commandName: v.commandName ?? '',
      invocationStatus: v.invocationStatus ?? '', commandContent: fromBase64(v.commandContent),
      instances: (v.invokeInstances?.invokeInstance ?? []).map((i) => ({
        instanceId: i.instanceId ?? '', invocationStatus: i.invocationStatus ?? '', exitCode: i.exitCode, output: fromBase64(i.output),
        errorCode: i.errorCode ?? '', errorInfo: i.errorInfo ?? '', finishTime: i.finishTime,
      })),
    }));
    return { items, nextToken: res.body?.nextToken };
  });
}

export interface InvocationResult extends InstanceInvocation {
  invokeId: string;
  /** `Running`, `Finished`, `Failed`, `Stopped`... */
  invokeRecordStatus: string;
}

/** Per-instance results of one invocation (output decoded from base64). */
export async function describeInvocationResults(acct: AccountClient, filter: { invokeId: string; instanceId?: string }): Promise<InvocationResult[]> {
  return pageByToken(async (nextToken) => {
    const params = { RegionId: acct.region, InvokeId: filter.invokeId, InstanceId: filter.instanceId, ContentEncoding: 'Base64', MaxResults: 50, NextToken: nextToken };
    const res = await ecs(acct, { action: 'DescribeInvocationResults', params }, (c, m, rt) =>
      c.describeInvocationResultsWithOptions(req(m.DescribeInvocationResultsRequest, params), rt),
    );
    const invocation = res.body?.invocation;
    const items = (invocation?.invocationResults?.invocationResult ?? []).map((r) => ({
      invokeId: r.invokeId ?? filter.invokeId, instanceId: r.instanceId ?? '', invocationStatus: r.invocationStatus ?? '',
      invokeRecordStatus: r.invokeRecordStatus ?? '', exitCode: r.exitCode, output: fromBase64(r.output), errorCode: r.errorCode ?? '',
      errorInfo: r.errorInfo ?? '', finishTime: r.finishedTime,
    }));
    return { items, nextToken: invocation?.nextToken };
  });
}
