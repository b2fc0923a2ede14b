// Every API in the shipped spec is served by the sandbox, and nothing the spec lacks is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PRODUCT_MODULES } from '../src/sandbox/products/index.js';
import { loadSpecs } from '../src/sandbox/spec.js';

describe('sandbox coverage', () => {
  it('implements exactly the APIs of api-spec/, for every product', () => {
    const specs = loadSpecs();
    const missing: string[] = [];
    const extra: string[] = [];
    for (const product of specs.products) {
      const module = PRODUCT_MODULES.find((m) => m.product === product.key);
      assert.ok(module, `no sandbox module for ${product.key}`);
      const served = new Set([...Object.keys(module.rpc ?? {}), ...Object.keys(module.roa ?? {})]);
      for (const api of Object.keys(product.apis)) if (!served.has(api)) missing.push(`${product.key}:${api}`);
      for (const api of served) if (!(api in product.apis)) extra.push(`${product.key}:${api}`);
    }
    assert.deepEqual(missing, [], 'APIs in the spec without a handler');
    assert.deepEqual(extra, [], 'handlers for APIs the spec does not have');
    assert.equal(specs.products.length, 10);
  });
});
