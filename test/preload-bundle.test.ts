// The preload as Electron loads it: built by vite.preload.config.ts into one CommonJS file that
// a sandboxed renderer can run — it may require 'electron' and nothing else — and that exposes
// exactly `window.annotray` with the contract's channels.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, PUSH_CHANNELS } from '../contract/ipc-contract.ts';

const ROOT = join(import.meta.dirname, '..');
let outDir: string;
let code: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'annotray-preload-'));
  await build({
    configFile: join(ROOT, 'vite.preload.config.ts'),
    root: ROOT,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  code = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

function load() {
  const required: string[] = [];
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const ipcRenderer = {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return 'answer';
    },
    on: () => {},
    removeListener: () => {},
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        exposed[key] = api;
      },
    },
    ipcRenderer,
  };
  const module = { exports: {} };
  runInNewContext(code, {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return electron;
    },
  });
  return { required, exposed, invoked };
}

describe('the preload bundle', () => {
  it('requires only electron (no zod, no local modules)', () => {
    expect(load().required).toEqual(['electron']);
    expect(code).not.toMatch(/require\(["'](?!electron["'])/);
    expect(code.length).toBeLessThan(10_000);
  });

  it('exposes window.annotray with invoke and on, over the contract’s channels', async () => {
    const { exposed, invoked } = load();
    expect(Object.keys(exposed)).toEqual(['annotray']);
    const api = exposed.annotray as {
      invoke(c: string, r: unknown): Promise<unknown>;
      on(c: string, l: () => void): () => void;
    };
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    for (const channel of INVOKE_CHANNELS) await expect(api.invoke(channel, {})).resolves.toBe('answer');
    expect(invoked.map((c) => c[0])).toEqual(INVOKE_CHANNELS);
    await expect(api.invoke('shell:openExternal', {})).rejects.toThrow(/unknown channel/);
    for (const channel of PUSH_CHANNELS) expect(typeof api.on(channel, () => {})).toBe('function');
    expect(() => api.on('app:snapshot', () => {})).toThrow(/unknown channel/);
  });
});
