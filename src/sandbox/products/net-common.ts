// What the network products (Vpc, VpcPeer, Cbn, pvtz) share: paging as each API pages, DryRun, the cloud's
// time formats, account IDs as JSON numbers, and tag filters and checks.
import { ApiError } from '../api.js';
import { invalidParameter } from '../spec.js';
import type { Tag } from '../state/vpc.js';
import type { World } from '../world.js';

/** An account ID as the responses give it (a JSON number; sandbox UIDs are 16 digits, below 2^53). */
export const uid = (accountId: string): number => Number(accountId);

/** `2026-11-01T08:00:05Z`: the VPC/VpcPeer/Cbn time format (ISO 8601, UTC, seconds). */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `2026-11-01T08:00Z`: the pvtz and CEN time format (ISO 8601, UTC, minutes). */
export const isoMinutes = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16)}Z`;

export const msOf = (iso: string): number => Date.parse(iso);

/** DryRun=true: every check passed, nothing is done, and the cloud answers the DryRunOperation error. */
export function dryRun(params: Record<string, any>): void {
  if (params.DryRun === true) throw new ApiError('DryRunOperation', 'Request validation has been passed with DryRun flag set.', 400);
}

export interface NumberPage<T> {
  items: T[];
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  totalPages: number;
}

/** The three paging fields every page-numbered Describe/List answer carries. */
export const pageFields = (page: Pick<NumberPage<unknown>, 'totalCount' | 'pageNumber' | 'pageSize'>) => ({
  TotalCount: page.totalCount,
  PageNumber: page.pageNumber,
  PageSize: page.pageSize,
});

/** PageNumber/PageSize paging: defaults and the maximum page size are each API's documented ones. */
export function pageByNumber<T>(all: readonly T[], params: Record<string, any>, limits: { defaultSize: number; maxSize: number }, names = { number: 'PageNumber', size: 'PageSize' }): NumberPage<T> {
  const pageNumber = params[names.number] ?? 1;
  const pageSize = params[names.size] ?? limits.defaultSize;
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw invalidParameter(names.number);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > limits.maxSize) throw invalidParameter(names.size);
  const start = (pageNumber - 1) * pageSize;
  return {
    items: all.slice(start, start + pageSize),
    pageNumber,
    pageSize,
    totalCount: all.length,
    totalPages: Math.ceil(all.length / pageSize),
  };
}

export interface TokenPage<T> {
  items: T[];
  maxResults: number;
  /** Absent on the last page. */
  nextToken?: string;
  totalCount: number;
}

/**
 * NextToken/MaxResults paging. Tokens are opaque to clients; here they carry the offset. An unknown token
 * gets the API's own code (IllegalParam.NextToken for most).
 */
export function pageByToken<T>(
  all: readonly T[],
  params: Record<string, any>,
  limits: { defaultSize: number; maxSize: number; badTokenCode?: string; sizeName?: string },
): TokenPage<T> {
  const sizeName = limits.sizeName ?? 'MaxResults';
  const maxResults = params[sizeName] ?? limits.defaultSize;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limits.maxSize) throw invalidParameter(sizeName);
  let start = 0;
  const token = params.NextToken;
  if (token !== undefined && token !== '') {
    const match = /^nt-(\d+)$/.exec(String(token));
    if (!match || Number(match[1]) > all.length) throw new ApiError(limits.badTokenCode ?? 'IllegalParam.NextToken', 'The specified NextToken is invalid.', 400);
    start = Number(match[1]);
  }
  const end = start + maxResults;
  return { items: all.slice(start, end), maxResults, nextToken: end < all.length ? `nt-${end}` : undefined, totalCount: all.length };
}

/** Every wanted tag (key and, when given, value) is on the resource. */
export function hasTags(tags: readonly Tag[] | undefined, wanted: readonly { Key?: string; Value?: string }[] | undefined): boolean {
  return (wanted ?? []).every((w) => (tags ?? []).some((t) => t.Key === w.Key && (w.Value === undefined || w.Value === '' || t.Value === w.Value)));
}

/** Tags as the write APIs take them, checked as the cloud checks them (key required, no `aliyun`/`acs:` prefix). */
export function checkedTags(list: readonly { Key?: string; Value?: string }[] | undefined, codes = { key: 'InvalidTagKey', value: 'InvalidTagValue' }): Tag[] {
  const out: Tag[] = [];
  for (const t of list ?? []) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (key === '' || key.length > 128 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) throw new ApiError(codes.key, 'The tag keys are not valid.', 400);
    if (value.length > 128 || /^(aliyun|acs:)/i.test(value) || /https?:\/\//i.test(value)) throw new ApiError(codes.value, 'The tag values are not valid.', 400);
    out.push({ Key: key, Value: value });
  }
  return out;
}

/** Sets tags on a resource (a key already there gets the new value); at most 20 per resource. */
export function mergeTags(current: Tag[], added: readonly Tag[], limitCode = 'SizeLimitExceeded.TagNum'): Tag[] {
  const merged = [...current];
  for (const tag of added) {
    const existing = merged.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else merged.push({ ...tag });
  }
  if (merged.length > 20) throw new ApiError(limitCode, 'The maximum number of tags is exceeded.', 400);
  return merged;
}

/** `{Tag: [...]}` (Vpc style) or a bare list (VpcPeer/Cbn style) of tags for a response. */
export const tagsBody = (tags: readonly Tag[] | undefined): { Tag: Tag[] } => ({ Tag: (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) });

/** A comma-separated filter value as a list ("a,b" -> ["a","b"]). */
export const csv = (value: unknown): string[] =>
  value === undefined || value === null || value === ''
    ? []
    : String(value)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** An optional string filter: true when absent or equal. */
export const eq = (wanted: unknown, actual: unknown): boolean => wanted === undefined || wanted === '' || String(wanted) === String(actual);

/**
 * ClientToken idempotency: a create repeated with the same token answers what the first one did instead of
 * creating again (per account, product and action). Results are plain response bodies, so they persist.
 */
export function idempotent<T extends object>(ctx: { world: World; product: string; action: string; caller: { accountId: string } }, params: Record<string, any>, make: () => T): T {
  const token = params.ClientToken;
  if (token === undefined || token === '') return make();
  const store = ctx.world.shared<Record<string, unknown>>('client-tokens', () => ({}));
  const key = `${ctx.product}:${ctx.action}:${ctx.caller.accountId}:${token}`;
  if (store[key] !== undefined) return store[key] as T;
  const result = make();
  store[key] = result;
  return result;
}
