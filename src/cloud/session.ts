// The one funnel every cloud call goes through: endpoint overrides, retries, the call log, the dry-run guard.
import type { Account } from '../plan/action.js';
import { CallLog } from './call-log.js';
import { cjsDefault } from './interop.js';
import type { CredentialHandle } from './credentials.js';
import { DryRunWriteError, toCloudError } from './errors.js';
import { DEFAULT_RETRY, withRetry, type RetryHooks, type RetryPolicy } from './retry.js';
import {
  PRODUCTS,
  isWriteAction,
  type EndpointOverrides,
  type ProductKey,
  type RpcProduct,
  type SdkProduct,
} from './products.js';

// Each SDK loads only when a step first needs its product (they cost up to 0.7 s each to require).
const SDK_LOADERS = {
  ram: () => import('@alicloud/ram20150501'),
  vpc: () => import('@alicloud/vpc20160428'),
  cs: () => import('@alicloud/cs20151215'),
  sts: () => import('@alicloud/sts20150401'),
  ims: () => import('@alicloud/ims20190815'),
  ecs: () => import('@alicloud/ecs20140526'),
} satisfies Record<SdkProduct, () => Promise<unknown>>;

export type SdkModule<P extends SdkProduct> = Awaited<ReturnType<(typeof SDK_LOADERS)[P]>>;
export type SdkClient<P extends SdkProduct> = InstanceType<SdkModule<P>['default']['default']>;

/** What the SDK methods take as their last argument; our funnel owns retries, so the SDK's are off. */
export type Runtime = object;

export interface CloudOptions {
  endpoints?: EndpointOverrides;
  dryRun?: boolean;
  retry?: RetryPolicy;
  retryHooks?: RetryHooks;
  log?: CallLog;
  /** Read/connect timeouts per attempt. */
  timeoutMs?: number;
}

export interface CallOptions {
  product: ProductKey;
  action: string;
  /** The request's parameters as sent, for the log (masked there). */
  params?: Record<string, unknown>;
  region?: string;
  /** Extra codes worth retrying for this call only (e.g. a role just created that RAM does not list yet). */
  retryOn?: readonly string[];
}

/** One account's access: its credentials and default region, and clients made on demand. */
export class AccountClient {
  private readonly clients = new Map<string, Promise<unknown>>();

  constructor(
    readonly account: Account,
    readonly region: string,
    readonly credential: CredentialHandle,
    private readonly cloud: Cloud,
  ) {}

  /** The SDK client for a product (loaded and built once per region), and its module for request models. */
  async sdk<P extends SdkProduct>(product: P, region = this.region): Promise<{ client: SdkClient<P>; models: SdkModule<P> }> {
    const key = `${product}@${region}`;
    let pending = this.clients.get(key) as Promise<{ client: SdkClient<P>; models: SdkModule<P> }> | undefined;
    if (!pending) {
      pending = (async () => {
        const models = (await SDK_LOADERS[product]()) as SdkModule<P>;
        const Client = cjsDefault<new (config: unknown) => SdkClient<P>>(models);
        const client = new Client(await this.cloud.clientConfig(this, product, region));
        return { client, models };
      })();
      this.clients.set(key, pending);
    }
    return pending;
  }

  /**
   * Sends one call through the funnel. `send` gets the runtime options to pass to the SDK method and
   * is called again for each retry.
   */
  async call<T>(options: CallOptions, send: (runtime: Runtime) => Promise<T>): Promise<T> {
    return this.cloud.invoke(this, options, send);
  }

  /** An RPC call for products without an SDK package (cr, Cbn, VpcPeer, pvtz), through openapi-core. */
  async rpc<T>(product: RpcProduct, action: string, params: Record<string, unknown>, options: Omit<CallOptions, 'product' | 'action' | 'params'> = {}): Promise<T> {
    const region = options.region ?? this.region;
    const key = `${product}@${region}`;
    let pending = this.clients.get(key) as Promise<OpenApiHandle> | undefined;
    if (!pending) {
      pending = (async () => {
        const core = await importOpenApiCore();
        const Client = cjsDefault<OpenApiCore['default']['default']>(core);
        const client = new Client(new core.$OpenApiUtil.Config(await this.cloud.clientConfig(this, product, region)));
        return { client, core };
      })();
      this.clients.set(key, pending);
    }
    const { client, core } = await pending;
    const info = PRODUCTS[product];
    const query = core.OpenApiUtil.query({ ...params, RegionId: params.RegionId ?? region });
    return this.call({ ...options, product, action, params, region }, async (runtime) => {
      const request = new core.$OpenApiUtil.OpenApiRequest({ query });
      const callParams = new core.$OpenApiUtil.Params({
        action,
        version: info.version,
        protocol: 'HTTPS',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      const response = (await client.callApi(callParams, request, runtime as never)) as { body?: T };
      return response.body as T;
    });
  }
}

const importOpenApiCore = () => import('@alicloud/openapi-core');
type OpenApiCore = Awaited<ReturnType<typeof importOpenApiCore>>;
type OpenApiHandle = { client: InstanceType<OpenApiCore['default']['default']>; core: OpenApiCore };

/** Both accounts, and the rules every call obeys. */
export class Cloud {
  readonly log: CallLog;
  readonly dryRun: boolean;
  private readonly accounts = new Map<Account, AccountClient>();
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: CloudOptions = {}) {
    this.log = options.log ?? new CallLog();
    this.dryRun = options.dryRun ?? false;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  addAccount(account: Account, region: string, credential: CredentialHandle): AccountClient {
    const client = new AccountClient(account, region, credential, this);
    this.accounts.set(account, client);
    return client;
  }

  account(account: Account): AccountClient {
    const client = this.accounts.get(account);
    if (!client) throw new Error(`account ${account} has no credentials configured`);
    return client;
  }

  /** The Config object for an SDK or openapi-core client. */
  async clientConfig(client: AccountClient, product: ProductKey, region: string): Promise<Record<string, unknown>> {
    const override = this.options.endpoints?.[product];
    const endpoint = override?.endpoint ?? PRODUCTS[product].endpoint?.(region);
    return {
      credential: await client.credential.credential(),
      regionId: region,
      ...(endpoint ? { endpoint } : {}),
      ...(override ? { protocol: override.protocol } : {}),
      readTimeout: this.timeoutMs,
      connectTimeout: Math.min(this.timeoutMs, 5_000),
      userAgent: 'acr-xaccount',
    };
  }

  async invoke<T>(client: AccountClient, options: CallOptions, send: (runtime: Runtime) => Promise<T>): Promise<T> {
    const { product, action } = options;
    const kind = isWriteAction(action) ? 'write' : 'read';
    const base = { account: client.account, product: PRODUCTS[product].code, action, kind, region: options.region ?? client.region, params: options.params } as const;
    if (kind === 'write' && this.dryRun) {
      this.log.add({ ...base, durationMs: 0, attempts: 0, outcome: 'blocked' });
      throw new DryRunWriteError(base.product, action, client.account);
    }
    const started = performance.now();
    const { dara } = await loadRuntime();
    const transient = [...PRODUCTS[product].transientCodes, ...(options.retryOn ?? [])];
    try {
      const { value, attempts } = await withRetry(
        () => send(new dara.RuntimeOptions({ autoretry: false, readTimeout: this.timeoutMs, connectTimeout: Math.min(this.timeoutMs, 5_000) })),
        (error) => toCloudError(error, base.product, action, client.account),
        this.retry,
        transient,
        this.options.retryHooks,
      );
      const requestId = (value as { body?: { requestId?: string; RequestId?: string }; RequestId?: string } | undefined);
      this.log.add({
        ...base,
        durationMs: Math.round(performance.now() - started),
        attempts,
        outcome: 'ok',
        requestId: requestId?.body?.requestId ?? requestId?.body?.RequestId ?? requestId?.RequestId,
      });
      return value;
    } catch (error) {
      const e = error as { code?: string; attempts?: number; requestId?: string };
      this.log.add({ ...base, durationMs: Math.round(performance.now() - started), attempts: e.attempts ?? 1, outcome: e.code ?? 'error', requestId: e.requestId });
      throw error;
    }
  }
}

const importDara = () => import('@darabonba/typescript');
let runtimeModule: Promise<{ dara: Awaited<ReturnType<typeof importDara>> }> | undefined;
function loadRuntime() {
  runtimeModule ??= importDara().then((dara) => ({ dara }));
  return runtimeModule;
}
