// What a click on the tray icon (or the global shortcut) does to the window. "Hide it when it
// is in front" cannot read isFocused() alone: on Windows (and some Linux panels) the window
// loses focus to the taskbar before the tray's click arrives, so a shown window would never
// hide. A window that lost focus a moment ago counts as still in front.

/** How long after losing focus the window still counts as the one the person looked at. */
export const RECENT_BLUR_MS = 400;

export interface WindowFocusState {
  readonly exists: boolean;
  readonly visible: boolean;
  readonly minimized: boolean;
  readonly focused: boolean;
  /** When the window last lost focus (epoch ms), if it ever did. */
  readonly blurredAt?: number;
}

export function toggleDecision(state: WindowFocusState, now: number): 'show' | 'hide' {
  if (!state.exists || !state.visible || state.minimized) return 'show';
  if (state.focused) return 'hide';
  const recentlyInFront = state.blurredAt !== undefined && now - state.blurredAt <= RECENT_BLUR_MS;
  return recentlyInFront ? 'hide' : 'show';
}
