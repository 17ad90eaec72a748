import { describe, expect, it } from 'vitest';
import {
  CHECK_ORDER,
  type DoctorCheck,
  formatDoctorReport,
  makeReport,
  skippedCheck,
  worstStatus,
} from './doctor-report.ts';

describe('worstStatus', () => {
  it('ranks fail over warn over ok, and a skip never makes a report worse than ok', () => {
    expect(worstStatus(['ok', 'skip', 'ok'])).toBe('ok');
    expect(worstStatus(['ok', 'warn', 'skip'])).toBe('warn');
    expect(worstStatus(['warn', 'fail', 'ok'])).toBe('fail');
    expect(worstStatus(['skip'])).toBe('skip');
    expect(worstStatus([])).toBe('skip');
  });
});

describe('formatDoctorReport', () => {
  const checks: DoctorCheck[] = [
    {
      id: 'settings',
      status: 'ok',
      title: 'Settings: the stream URL is valid',
      detail: 'Stream URL: http://x/\nToken: none',
    },
    {
      id: 'status',
      status: 'fail',
      title: 'Status: 401 Unauthorized: the token is missing or wrong',
      detail: 'The request carried no token.',
      fix: 'Pass a token (--token).',
    },
    { id: 'headers', status: 'warn', title: 'Headers: only after 3.0 s', detail: '', fix: 'Send a comment.' },
    skippedCheck('body'),
  ];

  it('prints one line per check with its status, and the detail and fix indented below', () => {
    const text = formatDoctorReport(makeReport('http://x/api/notifications/events/user_42', checks));
    expect(text).toBe(
      [
        'Annotray doctor: http://x/api/notifications/events/user_42',
        '',
        '[ ok ] Settings: the stream URL is valid',
        '       Stream URL: http://x/',
        '       Token: none',
        '[FAIL] Status: 401 Unauthorized: the token is missing or wrong',
        '       The request carried no token.',
        '       Fix: Pass a token (--token).',
        '[warn] Headers: only after 3.0 s',
        '       Fix: Send a comment.',
        '[skip] Body: not checked (an earlier check failed)',
        '',
        'Verdict: FAIL (1 failed, 1 warning). Fix the first failed check first: later ones often follow from it.',
        '',
      ].join('\n'),
    );
  });

  it('wraps long details at word boundaries and keeps long words whole', () => {
    const long = `${'word '.repeat(40)}https://example.com/${'a'.repeat(120)}`;
    const text = formatDoctorReport(makeReport('u', [{ id: 'x', status: 'warn', title: 'T', detail: long }]));
    const lines = text.split('\n').filter((line) => line.startsWith('       '));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(0, -1)) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines.at(-1)).toBe(`       https://example.com/${'a'.repeat(120)}`);
  });

  it('lists several fixes under one Fix: heading, bullets wrapped under their text', () => {
    const fix = `- ${'turn it off '.repeat(12).trim()}\n- compress nothing`;
    const text = formatDoctorReport(
      makeReport('u', [{ id: 'b', status: 'warn', title: 'Buffering', detail: '', fix }]),
    );
    expect(text.split('\n').slice(3, 7)).toEqual([
      '       Fix:',
      '         - turn it off turn it off turn it off turn it off turn it off turn it off turn it off turn',
      '           it off turn it off turn it off turn it off turn it off',
      '         - compress nothing',
    ]);
  });

  it('summarises healthy and warning-only reports', () => {
    const ok = formatDoctorReport(makeReport('u', [{ id: 'a', status: 'ok', title: 'A', detail: '' }]));
    expect(ok).toContain('Verdict: ok.');
    const warn = formatDoctorReport(
      makeReport('u', [
        { id: 'a', status: 'warn', title: 'A', detail: '' },
        { id: 'b', status: 'warn', title: 'B', detail: '' },
      ]),
    );
    expect(warn).toContain('Verdict: works, with 2 warnings');
  });
});

describe('skippedCheck', () => {
  it('names the area and says why', () => {
    expect(skippedCheck('tls', 'plain http')).toEqual({
      id: 'tls',
      status: 'skip',
      title: 'TLS: not checked (plain http)',
      detail: '',
    });
  });

  it('exists for every check in the order', () => {
    for (const id of CHECK_ORDER) expect(skippedCheck(id).title).not.toContain('undefined');
  });
});
