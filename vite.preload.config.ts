// Bundles the window's preload (electron/preload.ts) into one CommonJS file: a sandboxed
// preload may require nothing but 'electron'. The contract's channel lists are computed here
// and inlined, so the page loads neither zod nor any other module of ours.

import { defineConfig } from 'vite';
import { INVOKE_CHANNELS, PUSH_CHANNELS } from './contract/ipc-contract.ts';

export default defineConfig({
  define: {
    __ANNOTRAY_INVOKE_CHANNELS__: JSON.stringify(INVOKE_CHANNELS),
    __ANNOTRAY_PUSH_CHANNELS__: JSON.stringify(PUSH_CHANNELS),
  },
  build: {
    outDir: 'dist/electron',
    emptyOutDir: false,
    target: 'chrome140',
    minify: false,
    sourcemap: true,
    lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
