import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { sampleEvent } from '../testing/sample-events.ts';
import { activeMutes, isMuted, muteUntil } from './channel-mute.ts';
import { NotificationPolicy } from './notification-policy.ts';
import { DEFAULT_PREFERENCES } from './preferences.ts';

const HOUR = 60 * 60 * 1000;

describe('channel mute', () => {
  it('mutes for an hour, until tomorrow morning, or until unmuted', () => {
    const now = new Date(2026, 11, 2, 15, 0).getTime();
    expect(muteUntil('hour', now)).toBe(now + HOUR);
    expect(new Date(muteUntil('tomorrow', now) as number)).toEqual(new Date(2026, 11, 3, 8, 0));
    expect(muteUntil('indefinite', now)).toBe('indefinite');
    const mutes = { 'ls/team': now + HOUR, 'ls/old': now - 1, 'ls/loud': 'indefinite' as const };
    expect(isMuted(mutes, 'ls/team', now)).toBe(true);
    expect(isMuted(mutes, 'ls/team', now + HOUR)).toBe(false);
    expect(isMuted(mutes, 'ls/loud', now + 1000 * HOUR)).toBe(true);
    expect(isMuted(mutes, 'ls/user_42', now)).toBe(false);
    expect(activeMutes(mutes, now)).toEqual({ 'ls/team': now + HOUR, 'ls/loud': 'indefinite' });
  });

  it('keeps a muted team channel silent while a personal channel still gets through', () => {
    const clock = new FakeClock();
    const shown: { channelKey?: string }[] = [];
    const policy = new NotificationPolicy(
      { ...DEFAULT_PREFERENCES, maxIndividual: 100, mutes: { 'ls/team': clock.now() + HOUR } },
      clock,
      { notify: (n) => shown.push(n) },
    );
    expect(policy.offer(sampleEvent({}, 'team'))).toBe('muted');
    expect(policy.offer(sampleEvent({}, 'user_42'))).toBe('notified');
    // Errors on a muted channel follow "errors always notify".
    expect(policy.offer(sampleEvent({ event_type: 'ocr.error.occurred' }, 'team'))).toBe('notified');
    clock.advance(HOUR);
    expect(policy.offer(sampleEvent({}, 'team'))).toBe('notified');
    expect(shown.map((n) => n.channelKey)).toEqual(['ls/user_42', 'ls/team', 'ls/team']);
  });
});
