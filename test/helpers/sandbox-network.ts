// Helpers for the network sandbox tests: real clients for both accounts against a sandbox, direct handler calls
// that check every response against the spec, and polling on the simulated clock.
import assert from 'node:assert/strict';

import { Cloud } from '../../src/cloud/session.js';
import type { CallContext, Caller } from '../../src/sandbox/api.js';
import { describeClusterUserKubeconfig } from '../../src/cloud/cs.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { PRODUCT_MODULES } from '../../src/sandbox/products/index.js';
import { loadSpecs, validateResponse } from '../../src/sandbox/spec.js';
import type { World } from '../../src/sandbox/world.js';
import { staticCredential } from './fake-cloud.js';

export const FAST = { maxAttempts: 4, maxElapsedMs: 5_000, baseDelayMs: 1, maxDelayMs: 2 };

const PRODUCTS = ['ram', 'vpc', 'cs', 'sts', 'ims', 'ecs', 'cr', 'cbn', 'vpcpeer', 'pvtz'] as const;

/** A Cloud with A and B on the sandbox (each in its own default region). */
export function cloudFor(sandbox: RunningSandbox, regions: { a: string; b: string } = { a: 'cn-hangzhou', b: 'cn-hangzhou' }): Cloud {
  const endpoints = Object.fromEntries(PRODUCTS.map((p) => [p, { endpoint: sandbox.endpoint, protocol: 'http' as const }]));
  const cloud = new Cloud({ endpoints, retry: FAST });
  cloud.addAccount('A', regions.a, staticCredential(sandbox.accounts.A.accessKeyId, sandbox.accounts.A.accessKeySecret));
  cloud.addAccount('B', regions.b, staticCredential(sandbox.accounts.B.accessKeyId, sandbox.accounts.B.accessKeySecret));
  return cloud;
}

/** An in-memory sandbox of `scenario`, with A's cluster ID and a kubeconfig for its Kubernetes API as CS hands it out. */
export async function clusterApi(scenario: string): Promise<{ sandbox: RunningSandbox; clusterId: string; kubeconfig: string }> {
  const sandbox = await startSandbox({ ephemeral: true, scenario });
  const clusterId = String(sandbox.meta.facts.clusterId);
  const { config } = await describeClusterUserKubeconfig(cloudFor(sandbox).account('A'), clusterId);
  return { sandbox, clusterId, kubeconfig: config };
}

/** Calls `read` until `done` holds (each call moves the simulated clock on); fails after `tries`. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, tries = 20): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (done(last)) return last;
  }
  assert.fail(`condition not reached after ${tries} reads; last value: ${JSON.stringify(last)}`);
}

export const rootCaller = (accountId: string): Caller => ({ accountId, type: 'root', arn: `acs:ram::${accountId}:root`, accessKeyId: `LTAI-test-${accountId}` });

/** Every (product, action) answered through `direct`, for the coverage check. */
export const answered = new Set<string>();

/**
 * Calls a handler as the server would (one clock tick, RequestId added) and asserts its response passes the
 * spec's response schema. Params are structured values keyed by wire names, as the server hands them over.
 */
export async function direct(world: World, accountId: string, product: string, action: string, params: Record<string, unknown> = {}, region = 'cn-hangzhou'): Promise<any> {
  const module = PRODUCT_MODULES.find((m) => m.product === product);
  const handler = module?.rpc?.[action];
  assert.ok(handler, `no handler ${product} ${action}`);
  const api = loadSpecs().product(product)?.apis[action];
  assert.ok(api, `no spec for ${product} ${action}`);
  world.tick();
  const ctx: CallContext = { world, caller: rootCaller(accountId), product, action, region: String(params.RegionId ?? region), requestId: 'REQ-TEST', baseUrl: 'http://127.0.0.1' };
  const body = JSON.parse(JSON.stringify({ ...((await handler(ctx, params)) as object), RequestId: 'REQ-TEST' }));
  assert.deepEqual(validateResponse(api, body), [], `${product} ${action} answered outside its spec: ${JSON.stringify(body)}`);
  answered.add(`${product}:${action}`);
  return body;
}

/** Expects a direct call to fail with `code`. */
export async function refused(world: World, accountId: string, product: string, action: string, params: Record<string, unknown>, code: string, region = 'cn-hangzhou'): Promise<void> {
  await assert.rejects(direct(world, accountId, product, action, params, region), (e: { code?: string; message?: string }) => {
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return true;
  });
}
