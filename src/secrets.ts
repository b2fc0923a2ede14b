// Every secret the process learns is registered here, and every text that leaves the process passes redact().
const secrets = new Set<string>();

/** Remembers a secret (an AccessKey secret, an STS token) so redact() can mask it anywhere. */
export function registerSecret(value: string | undefined | null): void {
  // Very short strings would mask ordinary words; real secrets are long.
  if (value && value.length >= 8) secrets.add(value);
}

/** Replaces every registered secret in a text with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/** Parameter names whose values are never shown, whatever the value. */
export const SECRET_PARAM = /secret|password|securitytoken|^token$|privatekey|customaccesskeysecret/i;

/** A copy of request parameters fit for logs: secret-named values masked, the rest redacted. */
export function maskParams(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (SECRET_PARAM.test(key)) out[key] = '***';
    else if (typeof value === 'string') out[key] = redact(value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) out[key] = maskParams(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}
