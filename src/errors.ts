// Errors the user can act on: the message names the problem and the fix; the CLI prints it without a stack.
import { redact } from './secrets.js';

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A config problem: one line per bad field. */
export class ConfigError extends UserError {
  constructor(
    readonly problems: string[],
    readonly file?: string,
  ) {
    super(
      `${file ? `config ${file}` : 'config'} is not valid:\n` + problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** One line for any error: the cloud's code and message where there is one, never a stack or a secret. */
export function describeError(error: unknown): string {
  return redact(describeErrorRaw(error));
}

function describeErrorRaw(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; requestId?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    const code = typeof e.code === 'string' && !message.startsWith(e.code) ? `${e.code}: ` : '';
    const requestId = typeof e.requestId === 'string' && e.requestId ? ` (RequestId ${e.requestId})` : '';
    return `${code}${message}${requestId}`;
  }
  return String(error);
}
