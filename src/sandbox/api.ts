// What a simulated API handler sees and may throw: the caller, the world, the request's region; errors as the cloud's.
import type { World } from './world.js';

/** An error the simulated cloud answers with: the real code, message and HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type PrincipalType = 'root' | 'user' | 'assumed-role';

/** Who is calling, as the cloud resolves it from the AccessKey or STS token. */
export interface Caller {
  accountId: string;
  type: PrincipalType;
  /** `acs:ram::<uid>:root`, `acs:ram::<uid>:user/<name>`, `acs:ram::<uid>:assumed-role/<role>/<session>`. */
  arn: string;
  accessKeyId: string;
  userName?: string;
  roleName?: string;
  sessionName?: string;
}

export interface CallContext {
  world: World;
  caller: Caller;
  /** Product key as in api-spec (e.g. `ram`, `cs`). */
  product: string;
  action: string;
  /** RegionId of the request, else the endpoint's default. */
  region: string;
  requestId: string;
  /** Base URL of this sandbox server (for kubeconfigs and OIDC issuers it hands out). */
  baseUrl: string;
}

/** RPC handler: structured parameters in, response body out (RequestId is added by the server). */
export type RpcHandler = (ctx: CallContext, params: Record<string, any>) => unknown | Promise<unknown>;

export interface RoaRequest {
  pathParams: Record<string, string>;
  query: Record<string, any>;
  body: any;
}

/** ROA handler (CS): path, query and JSON body in; the full response body out. */
export type RoaHandler = (ctx: CallContext, request: RoaRequest) => unknown | Promise<unknown>;

export interface ProductModule {
  /** api-spec key: ram, sts, ims, vpc, vpcpeer, cbn, cr, pvtz, cs, ecs. */
  product: string;
  rpc?: Record<string, RpcHandler>;
  roa?: Record<string, RoaHandler>;
}

/** Throws the cloud's not-found error when `value` is missing. */
export function mustFind<T>(value: T | undefined, code: string, message: string, status = 404): T {
  if (value === undefined) throw new ApiError(code, message, status);
  return value;
}

/** The region-qualified name the ARN of an account-level resource uses. */
export function accountArn(accountId: string, resource: string): string {
  return `acs:ram::${accountId}:${resource}`;
}
