// runDoctor's paths that never reach the network: bad settings and an aborted run.

import { describe, expect, it } from 'vitest';
import { formatDoctorReport, runDoctor } from './doctor.ts';
import { CHECK_ORDER } from './doctor-report.ts';
import { DOCTOR_STEPS } from './doctor-steps.ts';

describe('runDoctor without a network', () => {
  it('declares its steps in the order of the report, the exchange last', () => {
    expect(DOCTOR_STEPS.names).toEqual([...CHECK_ORDER.slice(0, 5), 'exchange']);
  });

  it('fails the settings check for a bad URL and skips everything after it', async () => {
    const report = await runDoctor({ server: 'ftp://ls.example.com', channel: 'user_42' });
    expect(report.verdict).toBe('fail');
    expect(report.url).toBe('ftp://ls.example.com');
    expect(report.checks.map((check) => check.id)).toEqual(CHECK_ORDER);
    expect(report.checks[0]).toMatchObject({ id: 'settings', status: 'fail', title: 'Settings: invalid' });
    expect(report.checks[0]?.detail).toContain('must start with http:// or https://');
    expect(report.checks.slice(1).every((check) => check.status === 'skip')).toBe(true);
    expect(report.checks[1]?.title).toBe('DNS: not checked (the settings cannot be used)');
  });

  it('fails for an events path without {channel}', async () => {
    const report = await runDoctor({
      server: 'http://127.0.0.1:1',
      channel: 'user_42',
      eventsPath: '/events',
    });
    expect(report.checks[0]?.detail).toContain('{channel}');
  });

  it('refuses a token that cannot go into a header, without printing it', async () => {
    const report = await runDoctor({
      server: 'http://127.0.0.1:1',
      channel: 'user_42',
      auth: { scheme: 'token', token: 'abc\ndef-secret' },
    });
    expect(report.checks[0]).toMatchObject({ status: 'fail', title: 'Settings: the token cannot be sent' });
    expect(formatDoctorReport(report)).not.toContain('def-secret');
  });

  it('rejects at once with the reason of an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      runDoctor({ server: 'http://127.0.0.1:1', channel: 'user_42', signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
