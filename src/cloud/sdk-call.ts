// Shared plumbing of the SDK-backed product modules: one funnel call per product, requests built from wire names.
import type { SdkProduct } from './products.js';
import type { AccountClient, CallOptions, SdkClient, SdkModule } from './session.js';

export type RequestModel<M> = (new (map?: Record<string, unknown>) => M) & { names(): Record<string, string> };

/**
 * The SDK request built from the wire parameters (undefined ones left out), so the call log shows exactly what
 * is sent; a wire name the model lacks throws instead of being dropped silently.
 */
export function sdkRequest<M>(Model: RequestModel<M>, params: Record<string, unknown>, nested: Record<string, unknown> = {}): M {
  const fieldOf = new Map(Object.entries(Model.names()).map(([field, wire]) => [wire, field]));
  const map: Record<string, unknown> = {};
  for (const [wire, value] of Object.entries(params)) {
    const field = fieldOf.get(wire);
    if (!field) throw new Error(`${Model.name} has no parameter ${wire}`);
    if (value !== undefined) map[field] = value;
  }
  return new Model({ ...map, ...nested });
}

export type SdkSend<P extends SdkProduct, T> = (client: SdkClient<P>, models: SdkModule<P>, runtime: never) => Promise<T>;

/** A product's call function: loads its SDK on first use and sends through the account's funnel. */
export function sdkCaller<P extends SdkProduct>(product: P) {
  return async <T>(acct: AccountClient, options: Omit<CallOptions, 'product'>, send: SdkSend<P, T>): Promise<T> => {
    const { client, models } = await acct.sdk(product);
    return acct.call({ product, ...options }, (rt) => send(client, models, rt as never));
  };
}
