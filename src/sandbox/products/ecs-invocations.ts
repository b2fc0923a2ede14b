// ECS Cloud Assistant: RunCommand runs a shell script on instances; DescribeInvocations / DescribeInvocationResults
// show it going Pending -> Running -> Success/Failed over simulated time, with each instance's output and exit code.
import { ApiError, type CallContext, type RpcHandler } from '../api.js';
import { ecsState, type InvocationInstanceRecord, type InvocationRecord } from '../state/ecs.js';
import { runShellScript } from '../state/ecs-shell.js';

/** Simulated phases of one execution (assumed): sending, then running; a poll every 5 s sees Running once. */
export const INVOCATION_PENDING_MS = 3_000;
export const INVOCATION_RUN_MS = 5_000;
/** "The Base64-encoded command content cannot exceed 18 KB" (RunCommand docs). */
const MAX_CONTENT_BASE64 = 18 * 1024;
/** Output beyond 24 KB is dropped and counted in `Dropped` (DescribeInvocations docs). */
const MAX_OUTPUT = 24 * 1024;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---- paging (NextToken/MaxResults, or PageNumber/PageSize) ----

export interface PageLimits {
  max: number;
  defaultSize: number;
}

/** One page of `items` the way ECS pages: by NextToken when MaxResults or NextToken is given, else by number. */
export function ecsPage<T>(items: readonly T[], p: Record<string, any>, limits: PageLimits): { items: T[]; meta: Record<string, unknown> } {
  if (p.NextToken !== undefined || p.MaxResults !== undefined) {
    const size = p.MaxResults === undefined ? limits.defaultSize : Number(p.MaxResults);
    if (!Number.isInteger(size) || size < 1 || size > limits.max) throw new ApiError('InvalidParameter.MaxResults', 'The specified parameter MaxResults is not valid.', 400);
    let offset = 0;
    if (p.NextToken) {
      offset = Number.parseInt(Buffer.from(String(p.NextToken), 'base64url').toString('utf8').replace(/^o:/, ''), 10);
      if (!Number.isInteger(offset) || offset < 0 || offset > items.length) throw new ApiError('InvalidParameter.NextToken', 'The specified parameter NextToken is not valid.', 400);
    }
    const end = offset + size;
    const next = end < items.length ? Buffer.from(`o:${end}`).toString('base64url') : undefined;
    return { items: items.slice(offset, end), meta: { TotalCount: items.length, ...(next ? { NextToken: next } : {}) } };
  }
  const pageNumber = p.PageNumber === undefined ? 1 : Number(p.PageNumber);
  const pageSize = p.PageSize === undefined ? limits.defaultSize : Number(p.PageSize);
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new ApiError('InvalidParam.PageNumber', 'The specified parameter is invalid.', 400);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > limits.max) throw new ApiError('InvalidParam.PageSize', 'The specified parameter is invalid.', 400);
  return {
    items: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    meta: { TotalCount: items.length, PageNumber: pageNumber, PageSize: pageSize },
  };
}

/** Drops undefined fields (the cloud omits absent ones; validateResponse refuses nulls). */
const withoutUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

// ---- states over time ----

type InstanceState = 'Pending' | 'Running' | InvocationInstanceRecord['finalStatus'];

function stateOf(ctx: CallContext, inv: InvocationRecord, record: InvocationInstanceRecord): InstanceState {
  const elapsed = ctx.world.data.nowMs - inv.createdAtMs;
  if (elapsed < INVOCATION_PENDING_MS) return 'Pending';
  if (record.finalStatus === 'Aborted') return 'Aborted'; // never reached the agent
  return elapsed < INVOCATION_PENDING_MS + INVOCATION_RUN_MS ? 'Running' : record.finalStatus;
}

const finished = (s: InstanceState) => s !== 'Pending' && s !== 'Running';

/** The overall InvocationStatus, as the docs derive it from the instances' states. */
function overall(states: InstanceState[]): string {
  if (states.some((s) => s === 'Pending')) return 'Pending';
  if (states.some((s) => s === 'Running')) return 'Running';
  if (states.every((s) => s === 'Success')) return 'Success';
  return states.some((s) => s === 'Success') ? 'PartialFailed' : 'Failed';
}

/** InvokeRecordStatus (DescribeInvocationResults): Running, then Finished / Failed / PartialFailed. */
function recordStatus(states: InstanceState[]): string {
  if (!states.every(finished)) return 'Running';
  if (states.every((s) => s === 'Success')) return 'Finished';
  return states.some((s) => s === 'Success') ? 'PartialFailed' : 'Failed';
}

/** The legacy InvokeStatus (Running, Finished, Failed, PartialFinished). */
function legacyStatus(states: InstanceState[]): string {
  const o = overall(states);
  return o === 'Pending' || o === 'Running' ? 'Running' : o === 'Success' ? 'Finished' : o === 'Failed' ? 'Failed' : 'PartialFinished';
}

const legacyInstanceStatus = (s: InstanceState) => (s === 'Success' ? 'Finished' : s === 'Pending' || s === 'Running' ? s : 'Failed');

/** Output and CommandContent: Base64 unless the request asks for PlainText (the Describe* default is Base64). */
function encoder(p: Record<string, any>): (text: string) => string {
  return String(p.ContentEncoding ?? 'Base64').toLowerCase() === 'plaintext' ? (t) => t : (t) => Buffer.from(t, 'utf8').toString('base64');
}

function resultFields(ctx: CallContext, inv: InvocationRecord, record: InvocationInstanceRecord, encode: (t: string) => string, includeOutput: boolean) {
  const state = stateOf(ctx, inv, record);
  const done = finished(state);
  const dropped = Math.max(0, record.output.length - MAX_OUTPUT);
  return {
    state,
    fields: withoutUndefined({
      InstanceId: record.instanceId,
      InvocationStatus: state,
      ExitCode: done && record.finalStatus !== 'Aborted' ? record.exitCode : undefined,
      Output: includeOutput ? encode(done ? record.output.slice(0, MAX_OUTPUT) : '') : undefined,
      Dropped: dropped,
      ErrorCode: done ? record.errorCode : '',
      ErrorInfo: done ? record.errorInfo : '',
      StartTime: state === 'Pending' || record.finalStatus === 'Aborted' ? undefined : iso(inv.createdAtMs + INVOCATION_PENDING_MS),
      Repeats: state === 'Pending' || record.finalStatus === 'Aborted' ? 0 : 1,
      StopTime: '',
    }),
    finishTime: done ? iso(inv.createdAtMs + INVOCATION_PENDING_MS + (record.finalStatus === 'Aborted' ? 0 : INVOCATION_RUN_MS)) : undefined,
  };
}

// ---- RunCommand ----

/** What happens on one instance when the command is delivered: the agent must be online on a Running instance. */
function execute(ctx: CallContext, inv: InvocationRecord, instanceId: string): InvocationInstanceRecord {
  const instance = ecsState(ctx.world, ctx.caller.accountId).instances[instanceId]!;
  const base = { instanceId, output: '', errorCode: '', errorInfo: '' };
  if (instance.status !== 'Running') {
    return { ...base, finalStatus: 'Aborted', errorCode: 'InstanceNotRunning', errorInfo: 'The specified instance was not running during task execution.' };
  }
  if (!instance.cloudAssistant) return { ...base, finalStatus: 'Aborted', errorCode: 'ClientNotRunning', errorInfo: 'The aliyun service is not running on the instance.' };
  const scriptPath = `/usr/local/share/aliyun-assist/work/script/${inv.invokeId}.sh`; // assumed location
  const result = runShellScript({ world: ctx.world, accountId: ctx.caller.accountId, instance, scriptPath }, inv.content);
  return result.exitCode === 0
    ? { ...base, finalStatus: 'Success', exitCode: 0, output: result.output }
    : { ...base, finalStatus: 'Failed', exitCode: result.exitCode, output: result.output, errorCode: 'ExitCodeNonzero', errorInfo: 'The command execution exit code is not zero.' };
}

function decodeContent(p: Record<string, any>): string {
  const encoding = String(p.ContentEncoding ?? 'PlainText').toLowerCase();
  const content = String(p.CommandContent);
  if (encoding === 'plaintext') {
    if (Buffer.byteLength(Buffer.from(content).toString('base64')) > MAX_CONTENT_BASE64) throw new ApiError('CmdContent.ExceedLimit', 'The length of the command content exceeds the upper limit.', 403);
    return content;
  }
  if (encoding !== 'base64') throw new ApiError('InvalidParameter', 'The specified parameter "ContentEncoding" is not valid.', 400);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) throw new ApiError('CmdContent.DecodeError', 'The CommandContent can not be base64 decoded.', 400);
  if (content.length > MAX_CONTENT_BASE64) throw new ApiError('CmdContent.ExceedLimit', 'The length of the command content exceeds the upper limit.', 403);
  return Buffer.from(content, 'base64').toString('utf8');
}

export const invocationHandlers: Record<string, RpcHandler> = {
  RunCommand: (ctx, p) => {
    if (!['RunShellScript', 'RunBatScript', 'RunPowerShellScript'].includes(p.Type)) throw new ApiError('InvalidCmdType.NotFound', 'The specified command type does not exist.', 404);
    const ids: string[] = Array.isArray(p.InstanceId) ? p.InstanceId.map(String) : [];
    if (ids.length === 0) throw new ApiError('MissingParam.InstanceId', 'The parameter instanceId is missing or empty.', 400);
    if (p.Name && String(p.Name).length > 128) throw new ApiError('CmdName.ExceedLimit', 'The length of the command name exceeds the upper limit.', 403);
    if (p.Description && String(p.Description).length > 512) throw new ApiError('CmdDesc.ExceedLimit', 'The length of the command description exceeds the upper limit.', 403);
    if (p.Parameters !== undefined && p.EnableParameter !== true) {
      throw new ApiError('Parameter.Disabled', 'Parameters should not be passed when CreateCommand.EnableParameter is false.', 400);
    }
    const content = decodeContent(p);
    const state = ecsState(ctx.world, ctx.caller.accountId);
    for (const id of ids) {
      const instance = state.instances[id];
      // Another account's or another region's instance is as unknown as a made-up ID.
      if (!instance || instance.regionId !== ctx.region) throw new ApiError('InvalidInstance.NotFound', 'The specified instance does not exist.', 404);
    }
    // Every simulated instance runs Linux: Windows script types do not match it.
    if (p.Type !== 'RunShellScript') throw new ApiError('InvalidInstance.NotMatch', 'The specified instance type does not match the command.', 400);
    const inv: InvocationRecord = {
      invokeId: ctx.world.nextId('t-', 18),
      commandId: ctx.world.nextId('c-', 18),
      regionId: ctx.region,
      name: String(p.Name ?? ''),
      description: String(p.Description ?? ''),
      type: p.Type,
      content,
      timeoutSeconds: p.Timeout === undefined ? 60 : Number(p.Timeout),
      username: String(p.Username ?? 'root'),
      workingDir: String(p.WorkingDir ?? '/root'),
      createdAtMs: ctx.world.data.nowMs,
      instances: [],
    };
    // The script's effects (a rewritten /etc/hosts) happen now; its results show once the clock says it ran.
    inv.instances = [...new Set(ids)].map((id) => execute(ctx, inv, id));
    state.invocations[inv.invokeId] = inv;
    return { CommandId: inv.commandId, InvokeId: inv.invokeId };
  },

  DescribeInvocations: (ctx, p) => {
    const encode = encoder(p);
    const includeOutput = p.IncludeOutput === true;
    const all = Object.values(ecsState(ctx.world, ctx.caller.accountId).invocations)
      .filter((inv) => inv.regionId === ctx.region)
      .filter((inv) => (p.InvokeId ? inv.invokeId === p.InvokeId : true) && (p.CommandId ? inv.commandId === p.CommandId : true))
      .filter((inv) => (p.CommandName ? inv.name === p.CommandName : true) && (p.CommandType ? inv.type === p.CommandType : true))
      .filter((inv) => (p.InstanceId ? inv.instances.some((i) => i.instanceId === p.InstanceId) : true))
      .sort((a, b) => b.createdAtMs - a.createdAtMs)
      .map((inv) => {
        const rows = inv.instances.map((record) => {
          const r = resultFields(ctx, inv, record, encode, includeOutput);
          const { StopTime, ...fields } = r.fields;
          void StopTime;
          return {
            state: r.state,
            row: withoutUndefined({
              ...fields,
              InstanceInvokeStatus: legacyInstanceStatus(r.state),
              Timed: false,
              CreationTime: iso(inv.createdAtMs),
              UpdateTime: iso(ctx.world.data.nowMs),
              FinishTime: r.finishTime,
            }),
          };
        });
        return { inv, states: rows.map((r) => r.state), rows: rows.map((r) => r.row) };
      })
      .filter((x) => (p.InvokeStatus ? overall(x.states) === p.InvokeStatus || legacyStatus(x.states) === p.InvokeStatus : true));
    const { items, meta } = ecsPage(all, p, { max: 50, defaultSize: 10 });
    return {
      ...withoutUndefined(meta),
      Invocations: {
        Invocation: items.map(({ inv, states, rows }) => ({
          InvokeId: inv.invokeId,
          CommandId: inv.commandId,
          CommandName: inv.name,
          CommandType: inv.type,
          CommandDescription: inv.description,
          CommandContent: encode(inv.content),
          InvocationStatus: overall(states),
          InvokeStatus: legacyStatus(states),
          Timed: false,
          RepeatMode: 'Once',
          Frequency: '',
          Timeout: inv.timeoutSeconds,
          Username: inv.username,
          WorkingDir: inv.workingDir,
          Parameters: '{}',
          CreationTime: iso(inv.createdAtMs),
          Tags: { Tag: [] },
          InvokeInstances: { InvokeInstance: rows },
        })),
      },
    };
  },

  DescribeInvocationResults: (ctx, p) => {
    const encode = encoder(p);
    const rows = Object.values(ecsState(ctx.world, ctx.caller.accountId).invocations)
      .filter((inv) => inv.regionId === ctx.region)
      .filter((inv) => (p.InvokeId ? inv.invokeId === p.InvokeId : true) && (p.CommandId ? inv.commandId === p.CommandId : true))
      .sort((a, b) => b.createdAtMs - a.createdAtMs)
      .flatMap((inv) => {
        const results = inv.instances.map((record) => resultFields(ctx, inv, record, encode, true));
        const status = recordStatus(results.map((r) => r.state));
        return results.map((r) => ({
          ...r.fields,
          InvokeId: inv.invokeId,
          CommandId: inv.commandId,
          InvokeRecordStatus: status,
          Username: inv.username,
          ...(r.finishTime ? { FinishedTime: r.finishTime } : {}),
          Tags: { Tag: [] },
        }));
      })
      .filter((r) => (p.InstanceId ? r.InstanceId === p.InstanceId : true) && (p.InvokeRecordStatus ? r.InvokeRecordStatus === p.InvokeRecordStatus : true));
    const { items, meta } = ecsPage(rows, p, { max: 50, defaultSize: 10 });
    return { Invocation: { ...withoutUndefined(meta), InvocationResults: { InvocationResult: items } } };
  },
};
