import { describe, expect, it } from 'vitest';
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

  it('logs the updater’s messages through our (redacting) logger', () => {
    const lines: string[] = [];
    updaterLogger({ log: (level, message) => lines.push(`${level} ${message}`) }).info('Checking for update');
    expect(lines).toEqual(['info updater: Checking for update']);
  });
});
