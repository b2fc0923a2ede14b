// Cloud errors in one shape, whatever the SDK threw: code, message, HTTP status, request ID; secrets redacted.
import { redact } from '../secrets.js';

export class CloudError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number | undefined,
    readonly requestId: string | undefined,
    readonly product: string,
    readonly action: string,
    readonly account: string,
  ) {
    super(redact(message));
    this.name = 'CloudError';
  }
}

/** Thrown instead of sending a write call during a dry run. */
export class DryRunWriteError extends Error {
  readonly code = 'DryRun.WriteBlocked';
  constructor(product: string, action: string, account: string) {
    super(`dry run: refused to send ${product} ${action} in account ${account} (a dry run makes no write call)`);
    this.name = 'DryRunWriteError';
  }
}

const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface RawSdkError {
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  data?: { Code?: unknown; Message?: unknown; RequestId?: unknown; code?: unknown; message?: unknown; requestId?: unknown };
  name?: unknown;
  cause?: unknown;
}

/** Normalises anything the SDKs throw (AlibabaCloudError, ResponseError, socket errors) into a CloudError. */
export function toCloudError(error: unknown, product: string, action: string, account: string): CloudError {
  if (error instanceof CloudError) return error;
  const e = (error ?? {}) as RawSdkError;
  const data = e.data ?? {};
  const code = String(data.Code ?? data.code ?? e.code ?? (e.name === 'SyntaxError' ? 'InvalidResponse' : 'UnknownError'));
  let message = String(data.Message ?? data.message ?? e.message ?? error);
  // The SDK prefixes its messages with "code: " and appends "request id"; keep the cloud's own words.
  message = message.replace(/^[\w.]+:\s*/, (m) => (m.startsWith(code) ? '' : m)).replace(/\s*request id: \S+/i, '');
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const requestId = String(data.RequestId ?? data.requestId ?? e.requestId ?? '') || undefined;
  return new CloudError(code, message, statusCode, requestId, product, action, account);
}

export function isConnectionError(error: CloudError): boolean {
  return CONNECTION_CODES.has(error.code) || /socket hang up|ECONNRESET|ECONNREFUSED|ETIMEDOUT|timeout/i.test(error.message);
}

export function isThrottling(error: CloudError): boolean {
  return /Throttling/i.test(error.code) || error.statusCode === 429;
}

/** True when the error says the named resource does not exist (for "find, else create" reads). */
export function isNotFound(error: unknown, ...codes: string[]): boolean {
  return error instanceof CloudError && codes.some((c) => error.code === c || error.code.startsWith(`${c}.`));
}
