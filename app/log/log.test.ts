import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactText, redactValue } from './redact.ts';
import { formatLogLine, RotatingFileLogger } from './rotating-file-logger.ts';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('redaction', () => {
  it('masks tokens in headers, query strings, JSON and free text', () => {
    const cases: [string, string][] = [
      ['Authorization: Token 0123456789abcdef', 'Authorization: Token [redacted]'],
      ['authorization=s3cr3t', 'authorization=[redacted]'],
      ['sent Token 0123456789abcdef to the server', 'sent Token [redacted] to the server'],
      ['Bearer abc.def-ghi', 'Bearer [redacted]'],
      [`refresh token ${JWT} expired`, 'refresh token [redacted] expired'],
      ['https://ls/api?token=s3cr3t&x=1', 'https://ls/api?token=[redacted]&x=1'],
      ['{"access_token":"s3cr3t","user":42}', '{"access_token":"[redacted]","user":42}'],
      ['{"refresh": "s3cr3t"}', '{"refresh": "[redacted]"}'],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary words alone', () => {
    for (const text of [
      'Task 7 assigned: invoice_0042.pdf; the token is missing or wrong (401)',
      'the token was rejected by the server',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });

  it('masks fields by name and by content, at any depth', () => {
    expect(
      redactValue({
        token: 'abc',
        headers: { Authorization: 'Token abc123' },
        url: 'https://x/?api_key=zzz',
        n: 3,
        list: [`Bearer ${JWT}`],
      }),
    ).toEqual({
      token: '[redacted]',
      headers: { Authorization: '[redacted]' },
      url: 'https://x/?api_key=[redacted]',
      n: 3,
      list: ['Bearer [redacted]'],
    });
    expect(redactValue({ hasToken: false, tokenHint: '' })).toEqual({ hasToken: false, tokenHint: '' });
  });

  it('formats one redacted line per entry', () => {
    const line = formatLogLine(Date.UTC(2026, 10, 23, 9), 'warn', 'connect with Token abcdef', {
      channel: 'ls/user_42',
      token: 'abcdef',
    });
    expect(line).toBe(
      '2026-11-23T09:00:00.000Z WARN  connect with Token [redacted] {"channel":"ls/user_42","token":"[redacted]"}\n',
    );
  });

  it('clips a huge entry by the one clipping rule, never leaving half an emoji in the file', () => {
    // 31 characters of time and level before the message: the cut falls inside a surrogate pair.
    const line = formatLogLine(0, 'info', '😀'.repeat(9_000));
    expect(line.endsWith('…\n')).toBe(true);
    expect(line).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(Array.from(line.trimEnd())).toHaveLength(8_000);
    expect(formatLogLine(0, 'info', 'short')).toBe('1970-01-01T00:00:00.000Z INFO  short\n');
  });
});

describe('RotatingFileLogger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'annotray-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends lines in order, below the chosen level nothing', async () => {
    const file = join(dir, 'logs', 'annotray.log');
    const logger = new RotatingFileLogger({ file, level: 'info', now: () => 0 });
    logger.log('debug', 'hidden');
    for (let i = 0; i < 100; i += 1) logger.log('info', `line ${i}`, { token: 'secret-value' });
    await logger.flush();
    const text = await readFile(file, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(100);
    expect(lines[99]).toContain('line 99');
    expect(text).not.toContain('hidden');
    expect(text).not.toContain('secret-value');
  });

  it('rotates at the size limit and keeps only the newest files', async () => {
    const file = join(dir, 'annotray.log');
    await writeFile(file, 'x'.repeat(900));
    const logger = new RotatingFileLogger({ file, maxBytes: 1000, keep: 3, now: () => 0 });
    for (let round = 0; round < 10; round += 1) {
      for (let i = 0; i < 10; i += 1) logger.log('info', `round ${round} line ${i}`);
      await logger.flush();
    }
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['annotray.log', 'annotray.log.1', 'annotray.log.2', 'annotray.log.3']);
    for (const f of files) expect((await readFile(join(dir, f))).length).toBeLessThanOrEqual(1000);
    expect(await readFile(file, 'utf8')).toContain('round 9 line 9');
  });

  it('survives a log folder it cannot write', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, '');
    const logger = new RotatingFileLogger({ file: join(blocker, 'annotray.log') });
    const stderr = process.stderr.write;
    let warned = '';
    process.stderr.write = ((chunk: string) => {
      warned += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      logger.log('error', 'still fine');
      await logger.flush();
    } finally {
      process.stderr.write = stderr;
    }
    expect(warned).toMatch(/cannot write the log file/);
  });
});
