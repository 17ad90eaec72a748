// Renders the whole window over a fake bridge, with the layout numbers happy-dom lacks
// (the virtual list needs its scroller to have a size to show rows).

import { render } from '@testing-library/react';
import { createAppStore } from '../store/app-store.ts';
import { StoreProvider } from '../store/store-context.ts';
import { App } from '../views/App.tsx';
import type { FakeBridge } from './fake-bridge.ts';

let sized = false;

export function giveElementsASize(): void {
  if (sized) return;
  sized = true;
  for (const [name, value] of [
    ['offsetHeight', 640],
    ['offsetWidth', 900],
    ['clientHeight', 640],
    ['clientWidth', 900],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
}

export function renderApp(bridge: FakeBridge | undefined) {
  giveElementsASize();
  const store = createAppStore(bridge);
  const stop = store.getState().start();
  const view = render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  return { store, stop, ...view };
}
