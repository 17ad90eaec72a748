// `node --import ./test/support/fake-electron/register.mjs electron/main.ts`: every import of
// 'electron' (ours and electron-store's) gets the fake in electron.ts instead.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
