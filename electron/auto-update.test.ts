import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../app/log/rotating-file-logger.ts';
import type { LogLevel } from '../engine/ports.ts';
import { updateFeed, updaterLogger } from './auto-update.ts';

describe('updateFeed', () => {
  it('is off without a URL, in development, and for non-http URLs', () => {
    expect(updateFeed(undefined, true)).toEqual({ off: 'no update URL is configured' });
    expect(updateFeed('https://updates.example.com/annotray/', false)).toEqual({ off: 'development build' });
    expect(updateFeed('file:///srv/updates', true)).toMatchObject({ off: expect.stringMatching(/http/) });
    expect(updateFeed('updates', true)).toMatchObject({ off: expect.stringMatching(/not a URL/) });
  });

  it('uses the generic provider on the configured folder', () => {
    expect(updateFeed('https://updates.example.com/annotray/', true)).toEqual({
      feed: { provider: 'generic', url: 'https://updates.example.com/annotray/' },
    });
  });

  it('logs the updater’s messages through our redacting logger, so a credential in one never reaches the file', () => {
    const lines: string[] = [];
    const fileLogger = {
      log: (level: LogLevel, message: string) => lines.push(formatLogLine(0, level, message)),
    };
    const updater = updaterLogger(fileLogger);
    updater.info('Checking for update');
    // electron-updater logs the feed request, headers included, when it fails.
    updater.error(
      'Error: 403 https://updates.example.com/latest.yml?token=s3cr3t-value Authorization: Bearer abcdef123456',
    );
    expect(lines[0]).toMatch(/INFO {2}updater: Checking for update\n$/);
    expect(lines[1]).toMatch(/ERROR updater: Error: 403/);
    expect(lines.join('')).not.toMatch(/s3cr3t-value|abcdef123456/);
    expect(lines[1]).toContain('[redacted]');
  });
});
