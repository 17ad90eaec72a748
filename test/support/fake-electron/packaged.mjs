// `node --import ./test/support/fake-electron/packaged.mjs <package>/dist/electron/main.js`:
// runs a packaged main process against the stand-in Electron with module resolution confined
// to the package. Every import and require (one synchronous hook sees both) must resolve to a
// Node builtin, to the stand-in for 'electron', or to a file inside FAKE_ELECTRON_PACKAGE_DIR
// (the extracted app.asar); anything else throws, and is reported to the parent as `refused`
// in case the code that asked catches the error. FAKE_ELECTRON_PLATFORM makes
// `process.platform` another platform's, so its branches (tray icons) run against the package.
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const fake = new URL('./electron.ts', import.meta.url).href;
const dir = process.env.FAKE_ELECTRON_PACKAGE_DIR;
if (!dir) throw new Error('FAKE_ELECTRON_PACKAGE_DIR names the extracted app.asar');
const inside = pathToFileURL(dir).href.replace(/\/?$/, '/');

if (process.env.FAKE_ELECTRON_PLATFORM)
  Object.defineProperty(process, 'platform', { value: process.env.FAKE_ELECTRON_PLATFORM });

registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: fake, shortCircuit: true };
    const resolved = next(specifier, context);
    if (resolved.url.startsWith('node:') || resolved.url.startsWith(inside) || resolved.url === fake)
      return resolved;
    const reason = `${specifier} (from ${context.parentURL ?? 'the command line'}) resolves outside the package, to ${resolved.url}`;
    process.send?.({ kind: 'refused', reason });
    throw new Error(`refused by the package test: ${reason}`);
  },
});
