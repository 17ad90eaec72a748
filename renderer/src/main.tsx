// The window's entry point: one store over the preload's bridge, started before the first
// render so no push is missed, and the React tree on top of it.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { findBridge } from './bridge.ts';
import { followHashRoute } from './hash-route.ts';
import { createAppStore } from './store/app-store.ts';
import { StoreProvider } from './store/store-context.ts';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/sidebar.css';
import './styles/events.css';
import './styles/detail.css';
import './styles/settings.css';
import './styles/motion.css';
import { App } from './views/App.tsx';

const store = createAppStore(findBridge());
store.getState().start();
followHashRoute(store);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
