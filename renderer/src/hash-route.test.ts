// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { followHashRoute } from './hash-route.ts';
import { createAppStore } from './store/app-store.ts';
import { bridgeWith } from './test-support/fake-bridge.ts';

afterEach(() => {
  window.history.replaceState(null, '', '#/');
});

describe('followHashRoute', () => {
  it('opens on #/settings, hears main ask for it again, and keeps the hash in step with the view', async () => {
    window.history.replaceState(null, '', '#/settings');
    const store = createAppStore(bridgeWith({}));
    const stop = followHashRoute(store);
    expect(store.getState().view).toBe('settings');

    store.getState().showView('events');
    expect(window.location.hash).toBe('#/');

    window.location.hash = '#/settings';
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().view).toBe('settings');
    stop();
  });
});
