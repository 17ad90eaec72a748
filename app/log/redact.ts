// The last line of defence before a log line reaches the disk: whatever the engine or a
// library puts in a message or a field, a token, an Authorization header or a JWT is masked.

const REDACTED = '[redacted]';

const PATTERNS: readonly [RegExp, string][] = [
  // `Authorization: Token abc…`, `Bearer eyJ…`, `Basic dXNlcjpwYXNz`: capitalised as in a header,
  // and long enough to be a credential, so "the token was rejected" stays readable.
  [/\b(Token|Bearer|Basic|bearer)(\s+)[A-Za-z0-9._~+/=-]{6,}/g, `$1$2${REDACTED}`],
  // a JWT anywhere (PAT refresh and access tokens)
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // `token=…`, `"access_token": "…"`, `refresh: …` in query strings, JSON and headers
  [
    /\b((?:access|refresh|api|auth|id)[_-]?(?:token|key)|token|refresh|password|passwd|secret|authorization|cookie)(["']?\s*[:=]\s*["']?)(?!\[redacted\]|(?:Token|Bearer|Basic)\s)[^\s"'&,;}]{2,}/gi,
    `$1$2${REDACTED}`,
  ],
];

const SECRET_KEY = /token|authorization|password|passwd|secret|cookie|api[_-]?key|refresh/i;

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of log fields with secrets masked by key name and by content; bounded in depth. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 6) return '[…]';
  if (value instanceof Error) return redactText(`${value.name}: ${value.message}`);
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && typeof v === 'string' && v !== '' ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}
