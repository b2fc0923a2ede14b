// The Alibaba Cloud SDKs are CommonJS with `exports.default = Client`. Node's ESM import puts that at
// `m.default.default`; loaders that honour `__esModule` (tsx, bundlers) put it at `m.default`. Accept both.
export function cjsDefault<T>(module: { default: unknown }): T {
  const outer = module.default as { default?: unknown } | undefined;
  return (typeof outer === 'object' && outer !== null && outer.default !== undefined ? outer.default : outer) as T;
}
