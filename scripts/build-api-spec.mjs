#!/usr/bin/env node
// Build compact, prose-free API specs (api-spec/<product>.json) from the official
// Alibaba Cloud OpenAPI metadata. Usage:
//   node scripts/build-api-spec.mjs [metadataDir] [--check]
// metadataDir defaults to $ACR_XACCOUNT_API_METADATA, then ../shared/alibabacloud-api
// (relative to the repo root). --check exits 1 if a committed spec file is stale.
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repoRoot, 'api-spec');
const GENERATOR = 'scripts/build-api-spec.mjs';

const args = process.argv.slice(2);
const checkMode = args.includes('--check');
const positional = args.filter((a) => !a.startsWith('--'));
const metadataDir = resolve(
  positional[0] ?? process.env.ACR_XACCOUNT_API_METADATA ?? join(repoRoot, '..', 'shared', 'alibabacloud-api'),
);

const REF_PREFIX = '#/components/schemas/';

/** Compacts a JSON-schema-like node. `withRequired` keeps per-property `required: true` (request side only). */
function compactSchema(schema, ctx, withRequired, seenRefs = new Set()) {
  if (!schema || typeof schema !== 'object') return { type: 'unknown' };
  if (schema.$ref) {
    const name = String(schema.$ref).startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : schema.$ref;
    const target = ctx.schemas[name];
    if (!target) {
      ctx.quirks.add(`unresolved $ref ${name}`);
      const out = { type: 'object', unresolvedRef: name };
      if (withRequired && schema.required === true) out.required = true;
      return out;
    }
    // Cycle guard: a schema that (indirectly) contains itself is cut off at the second visit.
    if (seenRefs.has(name)) return { type: 'object', recursiveRef: name };
    // Sibling keys next to $ref (e.g. `required`) apply to the use site, so they win over the target.
    const merged = { ...target, ...withoutKeys(schema, ['$ref']) };
    return compactSchema(merged, ctx, withRequired, new Set([...seenRefs, name]));
  }
  const out = {};
  out.type = schema.type ?? (schema.properties ? 'object' : 'unknown');
  if (schema.format) out.format = schema.format;
  if (withRequired && schema.required === true) out.required = true;
  // Empty enums (`enum: []`) occur in cs and carry no information.
  if (Array.isArray(schema.enum) && schema.enum.length > 0) out.enum = schema.enum;
  if (schema.maxItems !== undefined) out.maxItems = schema.maxItems;
  if (schema.items) out.items = compactSchema(schema.items, ctx, withRequired, seenRefs);
  if (schema.properties) {
    out.properties = {};
    for (const [key, sub] of Object.entries(schema.properties)) {
      out.properties[key] = compactSchema(sub, ctx, withRequired, seenRefs);
    }
  }
  // Map-shaped objects (e.g. cs addon versions, cbn TransitRouterVPCAttachmentOptions).
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    out.additionalProperties = compactSchema(schema.additionalProperties, ctx, withRequired, seenRefs);
  }
  return out;
}

function withoutKeys(obj, keys) {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}

function compactParam(param, ctx) {
  const schema = compactSchema(param.schema, ctx, true);
  const out = { name: param.name, in: param.in };
  if (param.style) out.style = param.style;
  out.type = schema.type;
  if (schema.format) out.format = schema.format;
  // A path parameter cannot be omitted, whatever the metadata says (cs has a few without `required`).
  const required = param.schema?.required === true || param.in === 'path';
  if (required && param.schema?.required !== true) ctx.quirks.add(`path param without required: ${ctx.api}.${param.name}`);
  out.required = required;
  for (const key of ['enum', 'items', 'properties', 'additionalProperties', 'maxItems', 'unresolvedRef']) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  return out;
}

function compactParams(params, ctx) {
  const byName = new Map();
  for (const param of params ?? []) {
    const key = `${param.in}:${param.name}`;
    if (byName.has(key)) {
      // Known quirk: RegionId listed twice (ecs Cloud Assistant APIs, vpc DescribeRouteEntryList).
      const same = JSON.stringify(byName.get(key)) === JSON.stringify(param);
      ctx.quirks.add(`duplicate param ${ctx.api}.${param.name}${same ? '' : ' (differing copies; first kept)'}`);
      continue;
    }
    byName.set(key, param);
  }
  return [...byName.values()].map((p) => compactParam(p, ctx));
}

function compactErrors(errorCodes) {
  const errors = [];
  const statuses = Object.keys(errorCodes ?? {}).sort();
  for (const status of statuses) {
    for (const entry of errorCodes[status] ?? []) {
      const httpStatus = /^\d+$/.test(status) ? Number(status) : status;
      errors.push({ httpStatus, code: entry.errorCode, message: entry.errorMessage ?? '' });
    }
  }
  return errors;
}

// Where the metadata disagrees with what the cloud does, and how we know. Applied after compaction.
const CORRECTIONS = [
  {
    product: 'CS',
    api: 'InstallClusterAddons',
    fix: (out) => {
      const body = out.params.find((p) => p.name === 'body');
      if (body?.items?.properties?.version) delete body.items.properties.version.required;
    },
    why: 'version is optional in practice: CS installs the default version (aliyun cs InstallClusterAddons without it returns a task)',
  },
];

// APIs the metadata extract lacks, in its own shape ("api-docs" API objects, prose left out), each with where it
// comes from; compacted like every other API. One the extract gains later is taken from the extract instead.
const ADDITIONS = [
  {
    product: 'CS',
    api: 'UnInstallClusterAddons',
    source: {
      sdk: '@alicloud/cs20151215 Client.unInstallClusterAddonsWithOptions(ClusterId, UnInstallClusterAddonsRequest{addons: [{name, cleanupCloudResources}]}): POST /clusters/{ClusterId}/components/uninstall, JSON body = the addons array (UnInstallClusterAddonsRequestAddons wire names name, cleanup_cloud_resources); UnInstallClusterAddonsResponseBody cluster_id, request_id, task_id',
      docs: 'https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/api-uninstallclusteraddons (RAM action cs:UnInstallClusterAddons, access level delete; task_id in the response since the 2024-12-12 change; no API-specific error codes listed)',
    },
    definition: {
      path: '/clusters/{ClusterId}/components/uninstall',
      methods: ['post'],
      systemTags: { operationType: 'delete' },
      parameters: [
        { name: 'ClusterId', in: 'path', schema: { type: 'string', required: true } },
        {
          name: 'body',
          in: 'body',
          style: 'json',
          schema: {
            type: 'array',
            required: false,
            items: {
              type: 'object',
              required: false,
              properties: {
                name: { type: 'string', required: false },
                cleanup_cloud_resources: { type: 'boolean', required: false },
              },
            },
          },
        },
      ],
      responses: {
        200: {
          schema: {
            type: 'object',
            properties: { cluster_id: { type: 'string' }, task_id: { type: 'string' }, request_id: { type: 'string' } },
          },
        },
      },
      errorCodes: {},
    },
  },
];

/** The product's APIs: the extract's, plus the ADDITIONS it does not have (noted as a quirk once it has them). */
function apisWithAdditions(meta, ctx) {
  const apis = { ...meta.apis };
  for (const a of ADDITIONS) {
    if (a.product !== meta.info.product) continue;
    if (apis[a.api]) ctx.quirks.add(`addition ${a.api} is now in the metadata (the metadata's is used; drop it from ADDITIONS)`);
    else apis[a.api] = a.definition;
  }
  return apis;
}

function compactApi(name, api, info, ctx) {
  ctx.api = name;
  const out = {};
  const methods = (api.methods ?? []).map((m) => m.toUpperCase());
  out.methods = methods;
  if (info.style === 'ROA') out.path = api.path ?? null;
  out.operationType = api.systemTags?.operationType ?? null;
  if (api.deprecated === true) out.deprecated = true;
  out.params = compactParams(api.parameters, ctx);
  const okSchema = api.responses?.['200']?.schema;
  if (!okSchema) ctx.quirks.add(`no 200 response schema: ${name}`);
  out.response = okSchema ? compactSchema(okSchema, ctx, false) : null;
  out.errors = compactErrors(api.errorCodes);
  for (const c of CORRECTIONS) if (c.product === info.product && c.api === name) c.fix(out);
  return out;
}

function compactEndpoints(meta) {
  const regions = {};
  const sorted = [...(meta.endpoints ?? [])].sort((a, b) => a.regionId.localeCompare(b.regionId));
  for (const { regionId, endpoint } of sorted) {
    if (endpoint) regions[regionId] = endpoint.trim();
  }
  return regions;
}

function buildProductSpec(meta) {
  const info = meta.info;
  const ctx = { schemas: meta.components?.schemas ?? {}, quirks: new Set(), api: '' };
  const source = apisWithAdditions(meta, ctx);
  const apis = {};
  for (const name of Object.keys(source).sort()) apis[name] = compactApi(name, source[name], info, ctx);
  const spec = {
    generatedBy: GENERATOR,
    product: info.product,
    version: info.version,
    style: info.style,
    globalEndpoint: meta.aliyunCliProduct?.global_endpoint?.trim() || null,
    endpoints: compactEndpoints(meta),
    apis,
  };
  return { spec, quirks: [...ctx.quirks] };
}

// One API per line: small, yet a metadata change shows up as a readable diff.
function serialize(spec) {
  const { apis, ...head } = spec;
  const headLines = Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  const apiLines = Object.entries(apis).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{\n${headLines.join(',\n')},\n"apis":{\n${apiLines.join(',\n')}\n}}\n`;
}

function main() {
  if (!existsSync(metadataDir)) {
    console.error(`build-api-spec: metadata folder not found: ${metadataDir}`);
    process.exit(2);
  }
  const files = readdirSync(metadataDir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) {
    console.error(`build-api-spec: no *.json in ${metadataDir}`);
    process.exit(2);
  }
  const outputs = new Map();
  for (const file of files) {
    const meta = JSON.parse(readFileSync(join(metadataDir, file), 'utf8'));
    if (!meta.info?.product || !meta.apis) continue; // not an api-docs product file
    const { spec, quirks } = buildProductSpec(meta);
    const outName = `${spec.product.toLowerCase()}.json`;
    outputs.set(outName, { text: serialize(spec), apiCount: Object.keys(spec.apis).length, quirks, source: file });
  }

  if (checkMode) {
    const stale = [];
    for (const [name, { text, source }] of outputs) {
      const path = join(outDir, name);
      const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
      if (current === null) stale.push(`api-spec/${name} is missing (from ${source})`);
      else if (current !== text) stale.push(`api-spec/${name} is stale (from ${source})`);
    }
    const extra = existsSync(outDir)
      ? readdirSync(outDir).filter((f) => f.endsWith('.json') && !outputs.has(f))
      : [];
    for (const f of extra) stale.push(`api-spec/${f} has no metadata source in ${metadataDir}`);
    if (stale.length > 0) {
      for (const line of stale) console.error(`build-api-spec --check: ${line}`);
      console.error('Run: node scripts/build-api-spec.mjs');
      process.exit(1);
    }
    console.log(`build-api-spec --check: ${outputs.size} spec files up to date`);
    return;
  }

  mkdirSync(outDir, { recursive: true });
  for (const [name, { text, apiCount, quirks }] of outputs) {
    writeFileSync(join(outDir, name), text);
    const note = quirks.length ? `; quirks: ${quirks.join(', ')}` : '';
    console.log(`api-spec/${name}: ${apiCount} APIs, ${Buffer.byteLength(text)} bytes${note}`);
  }
}

main();
