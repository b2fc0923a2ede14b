// What every cr handler shares: cr's way of failing (HTTP 200, `IsSuccess: false` and a `Code`), the codes it uses,
// the instance lookup (by the caller's account and the request's region), module names and paging.
import type { CallContext, RpcHandler } from '../api.js';
import { crState, sweepLinks, type CrInstanceRecord, type CrModuleName } from '../state/cr.js';

/**
 * Codes of failures cr answers inside a 200 body. Sources: INSTANCE_NOT_EXIST is in the metadata (HTTP 200); the
 * Terraform provider treats INSTANCE_NOT_EXIST, NAMESPACE_NOT_EXIST, REPO_NOT_EXIST, INSTANCE_ACCESS_NOT_EXIST
 * (unlinking a VPC that is not linked) and INSTANCE_STATUS_NOT_SUPPORT as the service's answers. The others are
 * assumed (no public source names them): each is marked so.
 */
export const CR_CODES = {
  instanceNotFound: 'INSTANCE_NOT_EXIST',
  namespaceNotFound: 'NAMESPACE_NOT_EXIST',
  repoNotFound: 'REPO_NOT_EXIST',
  linkNotFound: 'INSTANCE_ACCESS_NOT_EXIST',
  /** Assumed: linking a VPC that is already linked (mirrors INSTANCE_ACCESS_NOT_EXIST). */
  linkExists: 'INSTANCE_ACCESS_ALREADY_EXIST',
  /** Assumed: a fourth linked VPC (the docs: at most three per instance). */
  linkQuotaExceeded: 'INSTANCE_ACCESS_QUOTA_EXCEED',
  /** Assumed: the VPC is not in the instance's account and region. */
  vpcNotFound: 'VPC_NOT_EXIST',
  /** Assumed: the vSwitch is not in that VPC. */
  vswitchNotFound: 'VSWITCH_NOT_EXIST',
  /** Assumed: no free address left in the vSwitch. */
  vswitchIpExhausted: 'VSWITCH_IP_NOT_ENOUGH',
  /** Assumed: an ACL entry that is already there. */
  aclExists: 'ACL_ENTRY_ALREADY_EXIST',
  /** Assumed: deleting an ACL entry that is not there. */
  aclNotFound: 'ACL_ENTRY_NOT_EXIST',
  /** Assumed: ACL changes on a disabled Internet endpoint. */
  endpointDisabled: 'ENDPOINT_NOT_ENABLE',
  /** Assumed: an operation the instance's edition (Personal) does not offer. */
  specNotSupported: 'INSTANCE_SPEC_NOT_SUPPORT',
  /** Assumed: a value the service rejects (bad CIDR, endpoint type other than Internet, bad paging, bad module). */
  paramInvalid: 'PARAM_INVALID',
  /** Assumed: a password outside the documented rules (8-32 characters, two of letters, digits, special characters). */
  passwordInvalid: 'PASSWORD_INVALID',
  /** Assumed: a second storage domain routing rule for one instance. */
  ruleExists: 'STORAGE_DOMAIN_ROUTING_RULE_ALREADY_EXIST',
} as const;

/** A failure cr reports in a 200 body; `style` picks the success flag the API's response has. */
export class CrFailure extends Error {
  constructor(
    readonly code: string,
    readonly style: 'IsSuccess' | 'Success' = 'IsSuccess',
  ) {
    super(code);
    this.name = 'CrFailure';
  }
}

/** The body of a successful call: cr's `Code: success` and `IsSuccess: true`, plus the API's own fields. */
export const ok = (body: Record<string, unknown> = {}): Record<string, unknown> => ({ Code: 'success', IsSuccess: true, ...body });

/** Turns a thrown CrFailure into the 200 body cr answers with (no Message: the response schemas have none). */
export function crHandler(handler: RpcHandler, style: 'IsSuccess' | 'Success' = 'IsSuccess'): RpcHandler {
  return async (ctx, params) => {
    try {
      return await handler(ctx, params);
    } catch (error) {
      if (error instanceof CrFailure) return error.style === 'Success' || style === 'Success' ? { Code: error.code, Success: false } : { Code: error.code, IsSuccess: false };
      throw error;
    }
  };
}

/** The caller's instance in the request's region (cr endpoints are regional; another account's instance is unknown). */
export function instanceOf(ctx: CallContext, instanceId: unknown, style: 'IsSuccess' | 'Success' = 'IsSuccess'): CrInstanceRecord {
  const instance = crState(ctx.world, ctx.caller.accountId).instances[String(instanceId)];
  if (!instance || instance.regionId !== ctx.region) throw new CrFailure(CR_CODES.instanceNotFound, style);
  sweepLinks(ctx.world, instance);
  return instance;
}

export function moduleOf(value: unknown): CrModuleName {
  if (value === undefined || value === '') return 'Registry';
  if (value === 'Registry' || value === 'Chart') return value;
  throw new CrFailure(CR_CODES.paramInvalid);
}

/** EndpointType: the docs say only Internet is supported (examples send `internet`, our client `Internet`). */
export function requireInternet(value: unknown): void {
  if (String(value).toLowerCase() !== 'internet') throw new CrFailure(CR_CODES.paramInvalid);
}

/** PageNo/PageSize paging: PageSize above 100 is cut to 100 (the docs allow either that or an error). */
export function page<T>(items: readonly T[], params: Record<string, any>, defaultSize = 30): { items: T[]; pageNo: number; pageSize: number } {
  const pageNo = params.PageNo === undefined ? 1 : Number(params.PageNo);
  const pageSize = Math.min(params.PageSize === undefined ? defaultSize : Number(params.PageSize), 100);
  if (!Number.isInteger(pageNo) || pageNo < 1 || !Number.isInteger(pageSize) || pageSize < 1) throw new CrFailure(CR_CODES.paramInvalid);
  return { items: items.slice((pageNo - 1) * pageSize, pageNo * pageSize), pageNo, pageSize };
}

/** cr's name filters match by substring (assumed; the console searches that way). */
export const matches = (value: string, filter: unknown): boolean => filter === undefined || filter === '' || value.includes(String(filter));
