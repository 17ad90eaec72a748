import { describe, expect, it } from 'vitest';
import { buildEventsUrl, parseServerUrl, SettingsError } from './endpoint.ts';

describe('events URL', () => {
  it('joins server, template and channel', () => {
    expect(buildEventsUrl('https://ls.example.com/', 'user_42').href).toBe(
      'https://ls.example.com/api/notifications/events/user_42',
    );
    expect(buildEventsUrl('https://ls.example.com/label', 'user_42', '/sse/{channel}/stream').href).toBe(
      'https://ls.example.com/label/sse/user_42/stream',
    );
  });

  it('percent-encodes the channel so it cannot change the path or add a query', () => {
    expect(buildEventsUrl('http://h', '../admin?x=1#y').pathname).toBe(
      '/api/notifications/events/..%2Fadmin%3Fx%3D1%23y',
    );
  });

  it.each([
    ['ftp://h', /http/],
    ['not a url', /not a URL/],
    ['https://user:pw@h', /token setting/],
    ['https://h/?q=1', /query/],
  ])('refuses the server URL %s with a reason', (url, reason) => {
    expect(() => parseServerUrl(url)).toThrow(reason);
  });

  it('refuses templates without exactly one {channel} and empty channel names', () => {
    expect(() => buildEventsUrl('http://h', 'c', '/events')).toThrow(SettingsError);
    expect(() => buildEventsUrl('http://h', 'c', 'events/{channel}')).toThrow(/start with/);
    expect(() => buildEventsUrl('http://h', '')).toThrow(/empty/);
    expect(() => buildEventsUrl('http://h', 'a\nb')).toThrow(/control/);
  });
});
