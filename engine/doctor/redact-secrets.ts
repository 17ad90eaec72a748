// The doctor never prints a token: every check's text passes through here before it leaves
// runDoctor, with the exact secrets of this run (the configured token and the credential the
// authentication step sent), so a server that echoes the token back cannot leak it either.
// The app's log redaction (app/log/redact.ts) matches token shapes instead: it does not know them.

import type { DoctorCheck } from './doctor-report.ts';

export const REDACTED = '[token]';

/**
 * Shorter secrets are left in place: replacing a two-letter "token" everywhere would garble the
 * report while hiding nothing worth hiding.
 */
const MIN_SECRET_LENGTH = 4;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (result, secret) => (secret.length >= MIN_SECRET_LENGTH ? result.split(secret).join(REDACTED) : result),
    text,
  );
}

/** The check with every secret in its title, detail and fix replaced by `[token]`. */
export function redactCheck(check: DoctorCheck, secrets: readonly string[]): DoctorCheck {
  return {
    ...check,
    title: redactSecrets(check.title, secrets),
    detail: redactSecrets(check.detail, secrets),
    ...(check.fix === undefined ? {} : { fix: redactSecrets(check.fix, secrets) }),
  };
}
