// Verifies Alibaba Cloud request signatures the way the API gateway does, as the exact inverse of the SDKs:
// ACS3-HMAC-SHA256 (Authorization header; @alicloud/openapi-core doRequest) and the RPC signature v1
// (HMAC-SHA1 `Signature` parameter; @alicloud/credentials' own STS calls, openapi-core doRPCRequest).
//
// Error codes, statuses and messages, and where each was confirmed (public issue threads quoting real answers):
//   SignatureDoesNotMatch 400, v1 "Specified signature is not matched with our calculation. server string to sign is:..."
//     (NewFuture/DDNS#57, aliyun-openapi-net-sdk#178; @alicloud/credentials parses this exact prefix);
//     ACS3 "Specified signature does not match our calculation. server StringToSign is [...]" (alibabacloud-csharp-sdk#40).
//     The trailing " server CanonicalRequest is [...]" part is ASSUMED from third-party notes, not a captured answer.
//   IncompleteSignature 400 "The request signature does not conform to Aliyun standards." (fog/fog-aliyun#32).
//   InvalidAccessKeyId.NotFound 404 "Specified access key is not found." (honwen/aliyun-ddns-cli#24).
//   InvalidTimeStamp.Expired 400 "Specified time stamp or date value is expired." (jeessy2/ddns-go#210; 15 min window).
//   SignatureNonceUsed 400 "Specified signature nonce was used already." (jeessy2/ddns-go#1548, alibaba-cloud-sdk-go#39).
//   MissingSignature "Signature is mandatory for this action." and MissingAccessKeyId "AccessKeyId is mandatory for this
//     action." (ddns-scripts-alibabacloud#3, keycloak-phone-provider#118): codes/messages confirmed, status 400 ASSUMED.
//   IllegalTimestamp 400 (aliyun-openapi-python-sdk#41) for a missing/garbled timestamp: confirmed for v1 `Timestamp`,
//     ASSUMED for the ACS3 `x-acs-date` header. MissingSignatureNonce 400: ASSUMED (follows the "mandatory" pattern).
//   A body that does not hash to x-acs-content-sha256: no dedicated code found; the server hashes the body it received
//     into the canonical request, so the answer is SignatureDoesNotMatch (ASSUMED, like any altered signed content).
//   Future timestamps beyond 15 minutes use InvalidTimeStamp.Expired too (ASSUMED). An unsigned host/x-acs-* header,
//     an unsupported algorithm or SignatureMethod answer IncompleteSignature (ASSUMED).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface IncomingSigned {
  method: string;
  pathname: string;
  /** Already URL-decoded, as `new URL(...).searchParams` gives. */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Raw bytes as received. */
  body: Buffer;
}

export interface Principal {
  accessKeyId: string;
  securityToken?: string;
}

export type SecretLookup = (accessKeyId: string) => { secret: string } | undefined;

export class SignatureError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = 'SignatureError';
    this.code = code;
    this.status = status;
  }
}

/** The gateway's tolerance for clock skew and its memory for nonces. */
export const SIGNATURE_WINDOW_MS = 15 * 60 * 1000;

/** Nonces seen per AccessKey, remembered for the window of the caller's clock (simulated time, not wall time). */
export class NonceCache {
  // key -> expiry in ms; Map keeps insertion order, which is roughly expiry order, so eviction stops early.
  private readonly seen = new Map<string, number>();
  private sweepAbove: number;

  constructor(private readonly windowMs = SIGNATURE_WINDOW_MS, private readonly sweepThreshold = 10_000) {
    this.sweepAbove = sweepThreshold;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Remembers the nonce; false when it was already used within the window. */
  claim(accessKeyId: string, nonce: string, now: Date): boolean {
    const t = now.getTime();
    this.evict(t);
    const key = `${accessKeyId}\n${nonce}`;
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > t) return false;
    this.seen.delete(key); // re-insert at the back so the order keeps tracking expiry
    this.seen.set(key, t + this.windowMs);
    return true;
  }

  private evict(t: number): void {
    for (const [key, expires] of this.seen) {
      if (expires > t) break;
      this.seen.delete(key);
    }
    // The clock can jump backwards in simulations, leaving expired entries behind a live one: sweep them all now and then.
    if (this.seen.size > this.sweepAbove) {
      for (const [key, expires] of this.seen) if (expires <= t) this.seen.delete(key);
      this.sweepAbove = Math.max(this.sweepThreshold, this.seen.size * 2);
    }
  }
}

const fail = {
  incomplete: () => new SignatureError('IncompleteSignature', 400, 'The request signature does not conform to Aliyun standards.'),
  missingAccessKeyId: () => new SignatureError('MissingAccessKeyId', 400, 'AccessKeyId is mandatory for this action.'),
  missingSignature: () => new SignatureError('MissingSignature', 400, 'Signature is mandatory for this action.'),
  missingNonce: () => new SignatureError('MissingSignatureNonce', 400, 'SignatureNonce is mandatory for this action.'),
  illegalTimestamp: (name: string) =>
    new SignatureError('IllegalTimestamp', 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  expired: () => new SignatureError('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.'),
  unknownKey: () => new SignatureError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.'),
  nonceUsed: () => new SignatureError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.'),
};

/** RFC 3986 encoding exactly as the SDKs do it: encodeURIComponent plus ! ' ( ) *. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Header values by lower-case name (Node already lower-cases; callers building requests by hand may not). */
function headerMap(headers: IncomingSigned['headers']): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), ...(Array.isArray(value) ? value : [value])]);
  }
  return map;
}

// The SDKs send `yyyy-MM-ddTHH:mm:ssZ`; hand-rolled clients sometimes add milliseconds, which the gateway accepts.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function checkTimestamp(value: string | undefined, name: string, now: Date): void {
  const t = value !== undefined && TIMESTAMP.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw fail.illegalTimestamp(name);
  if (Math.abs(now.getTime() - t) > SIGNATURE_WINDOW_MS) throw fail.expired();
}

function secretOf(lookup: SecretLookup, accessKeyId: string): string {
  const found = lookup(accessKeyId);
  if (!found) throw fail.unknownKey();
  return found.secret;
}

/** Detects the signature style, verifies it and the replay guards, and names the caller. */
export function verifySignature(req: IncomingSigned, lookup: SecretLookup, now: Date, nonces: NonceCache): Principal {
  const headers = headerMap(req.headers);
  const authorization = headers.get('authorization');
  if (authorization !== undefined) return verifyAcs3(req, headers, authorization.join(','), lookup, now, nonces);
  return verifyRpcV1(req, headers, lookup, now, nonces);
}

// ---- ACS3-HMAC-SHA256 -----------------------------------------------------------------------------------------------

function parseAuthorization(value: string): { credential: string; signedHeaders: string[]; signature: string } {
  const match = /^(\S+)\s+(.*)$/s.exec(value.trim());
  // ACS3-HMAC-SM3 / ACS3-RSA-SHA256 and the legacy ROA `acs AK:sig` are real but unused by this project's clients.
  if (!match || match[1] !== 'ACS3-HMAC-SHA256') throw fail.incomplete();
  const fields = new Map<string, string>();
  for (const part of match[2]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (signedHeaders === undefined || signature === undefined) throw fail.incomplete();
  if (!credential) throw fail.missingAccessKeyId();
  return { credential, signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean), signature };
}

function verifyAcs3(
  req: IncomingSigned,
  headers: Map<string, string[]>,
  authorization: string,
  lookup: SecretLookup,
  now: Date,
  nonces: NonceCache,
): Principal {
  const auth = parseAuthorization(authorization);
  const single = (name: string) => headers.get(name)?.join(',');
  // Every common header present must be signed, or a proxy could swap it unnoticed (the documented ACS3 rule).
  const signed = new Set(auth.signedHeaders);
  for (const name of headers.keys()) {
    if ((name === 'host' || name.startsWith('x-acs-')) && !signed.has(name)) throw fail.incomplete();
  }
  checkTimestamp(single('x-acs-date'), 'x-acs-date', now);
  const nonce = single('x-acs-signature-nonce');
  if (!nonce) throw fail.missingNonce();
  const secret = secretOf(lookup, auth.credential);

  const canonicalUri = (req.pathname || '/').replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const canonicalQuery = Object.entries(req.query)
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headerNames = [...signed].sort();
  const canonicalHeaders = headerNames.map((name) => `${name}:${(headers.get(name) ?? []).map((v) => v.trim()).sort().join(',')}\n`).join('');
  // The server hashes the body it actually received, so a body altered in flight no longer matches the signature.
  const canonicalRequest = `${req.method.toUpperCase()}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${headerNames.join(';')}\n${sha256Hex(req.body)}`;
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const expected = createHmac('sha256', secret).update(stringToSign).digest('hex');
  if (!sameText(expected, auth.signature.toLowerCase())) {
    throw new SignatureError(
      'SignatureDoesNotMatch',
      400,
      `Specified signature does not match our calculation. server StringToSign is [${stringToSign}] server CanonicalRequest is [${canonicalRequest}]`,
    );
  }
  if (!nonces.claim(auth.credential, nonce, now)) throw fail.nonceUsed();
  const securityToken = single('x-acs-security-token');
  return securityToken ? { accessKeyId: auth.credential, securityToken } : { accessKeyId: auth.credential };
}

// ---- RPC signature v1 (HMAC-SHA1) -----------------------------------------------------------------------------------

/** Query plus form-body parameters, which v1 signs together (the body wins on a clash, as the SDKs merge them). */
function rpcParams(req: IncomingSigned, headers: Map<string, string[]>): Record<string, string> {
  const params: Record<string, string> = { ...req.query };
  const contentType = (headers.get('content-type') ?? []).join(',').toLowerCase();
  if (req.body.length > 0 && contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params[k] = v;
  }
  return params;
}

function verifyRpcV1(req: IncomingSigned, headers: Map<string, string[]>, lookup: SecretLookup, now: Date, nonces: NonceCache): Principal {
  const { Signature: signature, ...params } = rpcParams(req, headers);
  const accessKeyId = params.AccessKeyId;
  if (!accessKeyId) throw fail.missingAccessKeyId();
  if (signature === undefined) throw fail.missingSignature();
  if ((params.SignatureMethod ?? 'HMAC-SHA1') !== 'HMAC-SHA1') throw fail.incomplete();
  checkTimestamp(params.Timestamp, 'Timestamp', now);
  const nonce = params.SignatureNonce;
  if (!nonce) throw fail.missingNonce();
  const secret = secretOf(lookup, accessKeyId);

  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const stringToSign = `${req.method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  if (!sameText(expected, signature)) {
    throw new SignatureError('SignatureDoesNotMatch', 400, `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
  }
  if (!nonces.claim(accessKeyId, nonce, now)) throw fail.nonceUsed();
  return params.SecurityToken ? { accessKeyId, securityToken: params.SecurityToken } : { accessKeyId };
}
