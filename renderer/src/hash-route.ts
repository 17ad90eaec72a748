// Main opens the window on a view through the URL hash (`#/settings` from the tray's
// "Settings…"). The hash follows the view the person chose, so the next such request is a
// change the window hears (a `hashchange`), not a no-op.

import type { AppStore } from './store/app-store.ts';

const SETTINGS_HASH = '#/settings';

export function followHashRoute(store: AppStore, win: Window = window): () => void {
  const apply = (): void => {
    store.getState().showView(win.location.hash === SETTINGS_HASH ? 'settings' : 'events');
  };
  if (win.location.hash === SETTINGS_HASH) apply();
  win.addEventListener('hashchange', apply);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.view === previous.view) return;
    const hash = state.view === 'settings' ? SETTINGS_HASH : '#/';
    if (win.location.hash !== hash) win.history.replaceState(null, '', hash);
  });
  return () => {
    win.removeEventListener('hashchange', apply);
    unsubscribe();
  };
}
