// No secret of the run may reach a check's title, detail or fix, wherever and however often
// it appears.

import { describe, expect, it } from 'vitest';
import type { DoctorCheck } from './doctor-report.ts';
import { REDACTED, redactCheck, redactSecrets } from './redact-secrets.ts';

const TOKEN = 'legacy-secret-123';
const ACCESS = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl';

describe('redactCheck', () => {
  it('replaces every secret in the title, detail and fix', () => {
    const check: DoctorCheck = {
      id: 'status',
      status: 'fail',
      title: `Status: 401 for ${TOKEN}`,
      detail: `The server said: invalid token ${TOKEN}\nsent Bearer ${ACCESS} and ${TOKEN} again`,
      fix: `Replace ${ACCESS}.`,
    };
    const clean = redactCheck(check, [TOKEN, ACCESS]);
    for (const text of [clean.title, clean.detail, clean.fix ?? '']) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(ACCESS);
    }
    expect(clean).toEqual({
      id: 'status',
      status: 'fail',
      title: `Status: 401 for ${REDACTED}`,
      detail: `The server said: invalid token ${REDACTED}\nsent Bearer ${REDACTED} and ${REDACTED} again`,
      fix: `Replace ${REDACTED}.`,
    });
  });

  it('adds no fix to a check without one', () => {
    const check: DoctorCheck = { id: 'dns', status: 'ok', title: 'DNS: ok', detail: '' };
    expect(redactCheck(check, [TOKEN])).toEqual(check);
    expect('fix' in redactCheck(check, [TOKEN])).toBe(false);
  });
});

describe('redactSecrets', () => {
  it('leaves secrets shorter than four characters in place, so a short one does not garble the text', () => {
    expect(redactSecrets('Token: abc', ['abc'])).toBe('Token: abc');
    expect(redactSecrets('Token: abcd', ['abcd'])).toBe(`Token: ${REDACTED}`);
  });

  it('leaves text without secrets as it was', () => {
    expect(redactSecrets('DNS: localhost resolves to 127.0.0.1', [TOKEN])).toBe(
      'DNS: localhost resolves to 127.0.0.1',
    );
  });
});
