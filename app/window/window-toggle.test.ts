import { describe, expect, it } from 'vitest';
import { RECENT_BLUR_MS, toggleDecision } from './window-toggle.ts';

const shown = { exists: true, visible: true, minimized: false, focused: false };

describe('clicking the tray icon', () => {
  it('shows the window when there is none, it is hidden or minimized', () => {
    expect(toggleDecision({ ...shown, exists: false, visible: false }, 0)).toBe('show');
    expect(toggleDecision({ ...shown, visible: false, blurredAt: 0 }, 10)).toBe('show');
    expect(toggleDecision({ ...shown, minimized: true, focused: true }, 0)).toBe('show');
  });

  it('hides the window in front (macOS, Linux: it still has focus)', () => {
    expect(toggleDecision({ ...shown, focused: true }, 0)).toBe('hide');
  });

  it('hides the window in front on Windows, where the taskbar took focus just before the click', () => {
    expect(toggleDecision({ ...shown, blurredAt: 1_000 }, 1_000 + 120)).toBe('hide');
  });

  it('brings forward a window that is shown but behind other windows', () => {
    expect(toggleDecision({ ...shown, blurredAt: 1_000 }, 1_000 + RECENT_BLUR_MS + 1)).toBe('show');
    expect(toggleDecision(shown, 5_000)).toBe('show');
  });
});
