/**
 * What `--debug` may show of a request or response: the SDK's own redaction of members its models mark
 * sensitive (`inputFilterSensitiveLog`), then this one, which does not depend on the models being right:
 * every member named like a secret is replaced, bytes are only counted, long output is cut.
 */
const SECRET_MEMBER = /^(password|newpassword|oldpassword|token)$|secret|sessiontoken|seed|qrcode|authenticationcode|privatekey/i;
const MAX_STRING = 300;
export const MAX_LOGGED = 2_000;

function redactValue(value: unknown, depth: number): unknown {
  if (value instanceof Uint8Array) return `(${value.length} bytes)`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}...` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 6) return '(...)';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$metadata') continue;
    out[key] = SECRET_MEMBER.test(key) && v !== undefined && v !== null ? '(redacted)' : redactValue(v, depth + 1);
  }
  return out;
}

/** One line of JSON, secrets redacted, at most MAX_LOGGED characters. */
export function redactForLog(value: unknown): string {
  const text = JSON.stringify(redactValue(value, 0)) ?? 'undefined';
  return text.length > MAX_LOGGED ? `${text.slice(0, MAX_LOGGED)}... (${text.length} characters)` : text;
}
