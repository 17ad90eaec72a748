// Builds the window's renderer (renderer/) into dist/renderer. `base: './'` keeps every asset
// URL relative so Electron can load the built index.html over file://.

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron's Chromium is current: no legacy transpilation, no inline module-preload polyfill.
    target: 'chrome130',
    modulePreload: { polyfill: false },
  },
});
