import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './app-protocol.ts';
import { serveAppAsset } from './serve-app-asset.ts';

let dir: string;
let rendererDir: string;
const csp = contentSecurityPolicy();
const serve = (url: string) => serveAppAsset({ url }, rendererDir, csp);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'annotray-assets-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets', 'folder.js'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Annotray</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("renderer")');
  writeFileSync(join(dir, 'secret.json'), '{"token":"outside the renderer"}');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serveAppAsset', () => {
  it('answers with the file, its MIME type, the CSP and nosniff', async () => {
    const index = serve('app://annotray/');
    expect(index.status).toBe(200);
    expect(Object.fromEntries(index.headers)).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
    });
    expect(await index.text()).toBe('<!doctype html><title>Annotray</title>');
    const script = serve('app://annotray/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("renderer")');
  });

  it('answers 404 to a file it cannot read: missing, or a folder', () => {
    expect(serve('app://annotray/assets/missing.js').status).toBe(404);
    expect(serve('app://annotray/assets/folder.js').status).toBe(404);
  });

  it('answers with the status resolveAppAsset gives a refused URL, and no body or CSP', async () => {
    const outside = serve('app://annotray/..%2fsecret.json');
    expect(outside.status).toBe(404);
    expect(await outside.text()).toBe('');
    expect(serve('app://evil/index.html').status).toBe(404);
    expect(serve('app://annotray/%E0%A4%A').status).toBe(400);
    expect(serve('app://annotray/assets/app.exe').headers.get('content-security-policy')).toBeNull();
  });
});
