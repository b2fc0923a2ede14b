// The Alibaba Cloud products we call: version, style, default endpoint, and the codes that mean "try again soon".
import { UserError } from '../errors.js';

export const PRODUCT_KEYS = ['ram', 'vpc', 'cs', 'sts', 'ims', 'ecs', 'cr', 'cbn', 'vpcpeer', 'pvtz'] as const;
export type ProductKey = (typeof PRODUCT_KEYS)[number];

/** Products with an official SDK package here; the rest go through openapi-core's callApi. */
export type SdkProduct = 'ram' | 'vpc' | 'cs' | 'sts' | 'ims' | 'ecs';
export type RpcProduct = 'cr' | 'cbn' | 'vpcpeer' | 'pvtz';

export interface ProductInfo {
  /** Product code as the metadata names it. */
  code: string;
  version: string;
  style: 'RPC' | 'ROA';
  /** Default endpoint for products without an SDK (the SDKs carry their own rules). */
  endpoint?: (region: string) => string;
  /**
   * Error codes the product documents for a resource that is busy or not yet consistent: retried like
   * throttling, within the same bounds.
   */
  transientCodes: readonly string[];
}

export const PRODUCTS: Record<ProductKey, ProductInfo> = {
  ram: { code: 'Ram', version: '2015-05-01', style: 'RPC', transientCodes: [] },
  vpc: {
    code: 'Vpc',
    version: '2016-04-28',
    style: 'RPC',
    transientCodes: [
      'TaskConflict',
      'OperationFailed.DistibuteLock',
      'OperationFailed.OperationLocked',
      'OperationConflict',
      'LastTokenProcessing',
      'IncorrectStatus.VpcRouteEntry',
      'IncorrectStatus.RouteTableStatus',
    ],
  },
  cs: { code: 'CS', version: '2015-12-15', style: 'ROA', transientCodes: [] },
  sts: { code: 'Sts', version: '2015-04-01', style: 'RPC', transientCodes: [] },
  ims: { code: 'Ims', version: '2019-08-15', style: 'RPC', transientCodes: [] },
  ecs: { code: 'Ecs', version: '2014-05-26', style: 'RPC', transientCodes: ['ServiceUnavailable', 'IdempotentProcessing'] },
  cr: { code: 'cr', version: '2018-12-01', style: 'RPC', endpoint: (r) => `cr.${r}.aliyuncs.com`, transientCodes: [] },
  cbn: {
    code: 'Cbn',
    version: '2017-09-12',
    style: 'RPC',
    endpoint: () => 'cbn.aliyuncs.com',
    transientCodes: [
      'OperationFailed.ConcurrentOperation',
      'IncorrectStatus.TransitRouterInstance',
      'IncorrectStatus.TransitRouter',
      'IncorrectStatus.AttachmentOrRouteTable',
      'IncorrectStatus.VpcRouteTable',
    ],
  },
  vpcpeer: {
    code: 'VpcPeer',
    version: '2022-01-01',
    style: 'RPC',
    endpoint: () => 'vpcpeer.aliyuncs.com',
    transientCodes: ['IncorrectStatus.VpcPeer'],
  },
  pvtz: { code: 'pvtz', version: '2018-01-01', style: 'RPC', endpoint: () => 'pvtz.aliyuncs.com', transientCodes: [] },
};

/** Calls that change nothing although their names do not say so. */
const READ_ONLY_ACTIONS = new Set(['GetCallerIdentity', 'AssumeRole', 'AssumeRoleWithOIDC', 'GetAuthorizationToken']);

/** Read or write, from the action's name: the dry-run guard relies on this, not on each wrapper remembering. */
export function isWriteAction(action: string): boolean {
  return !READ_ONLY_ACTIONS.has(action) && !/^(Get|List|Describe|Check|Query)/.test(action);
}

export interface EndpointOverride {
  /** host[:port] */
  endpoint: string;
  protocol: 'http' | 'https';
}

export type EndpointOverrides = Partial<Record<ProductKey, EndpointOverride>>;

/**
 * Parses `--endpoint PRODUCT=URL` values; `all=URL` points every product at one server (the sandbox).
 */
export function parseEndpointOverrides(values: readonly string[]): EndpointOverrides {
  const out: EndpointOverrides = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const product = value.slice(0, eq).trim().toLowerCase();
    const url = value.slice(eq + 1).trim();
    if (eq <= 0 || !url) {
      throw new UserError(`--endpoint "${value}": expected PRODUCT=URL, e.g. ram=https://ram.aliyuncs.com or all=http://127.0.0.1:8790`);
    }
    if (product !== 'all' && !(PRODUCT_KEYS as readonly string[]).includes(product)) {
      throw new UserError(`--endpoint "${value}": unknown product "${product}"; accepted: ${PRODUCT_KEYS.join(', ')}, all`);
    }
    const match = /^(?:(https?):\/\/)?([^/\s]+?)\/?$/.exec(url);
    if (!match) throw new UserError(`--endpoint "${value}": "${url}" is not a host[:port] or http(s)://host[:port] URL`);
    const override: EndpointOverride = { endpoint: match[2]!, protocol: (match[1] as 'http' | 'https' | undefined) ?? 'https' };
    for (const key of product === 'all' ? PRODUCT_KEYS : [product as ProductKey]) out[key] = override;
  }
  return out;
}
