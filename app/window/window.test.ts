import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, contentSecurityPolicy, isAppUrl, resolveAppAsset } from './app-protocol.ts';
import { mainWindowFrame } from './window-options.ts';

const root = join('/opt', 'annotray', 'dist', 'renderer');

describe('resolveAppAsset', () => {
  it('serves the renderer build with a fixed MIME type', () => {
    expect(resolveAppAsset(root, APP_ENTRY_URL)).toEqual({
      ok: true,
      path: join(root, 'index.html'),
      mime: 'text/html; charset=utf-8',
    });
    expect(resolveAppAsset(root, 'app://annotray/')).toMatchObject({
      ok: true,
      path: join(root, 'index.html'),
    });
    expect(resolveAppAsset(root, 'app://annotray/assets/index-abc.js?v=1#x')).toEqual({
      ok: true,
      path: join(root, 'assets', 'index-abc.js'),
      mime: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppAsset(root, 'app://annotray/assets/My%20Font.woff2')).toMatchObject({
      ok: true,
      path: join(root, 'assets', 'My Font.woff2'),
    });
  });

  it('never leaves the renderer folder', () => {
    // Each either resolves inside the folder (the URL parser folds the dots away) or is refused.
    const where = (url: string) => {
      const asset = resolveAppAsset(root, url);
      return asset.ok
        ? asset.path.startsWith(`${root}/`)
          ? 'inside'
          : `outside: ${asset.path}`
        : asset.status;
    };
    expect(
      [
        'app://annotray/../../etc/passwd.txt',
        'app://annotray/%2e%2e/%2e%2e/secret.json',
        'app://annotray/..%2f..%2fsettings.json',
        'app://annotray/assets/..%5c..%5c..%5csecret.json',
      ].map(where),
    ).toEqual(['inside', 'inside', 404, 'inside']);
    expect(resolveAppAsset(root, 'app://annotray/..%2f..%2fsettings.json')).toEqual({
      ok: false,
      status: 404,
    });
  });

  it('refuses other hosts and schemes, odd encodings, and unknown file types', () => {
    expect(resolveAppAsset(root, 'app://evil/index.html')).toEqual({ ok: false, status: 404 });
    expect(resolveAppAsset(root, 'file:///opt/annotray/dist/renderer/index.html')).toEqual({
      ok: false,
      status: 404,
    });
    expect(resolveAppAsset(root, 'app://annotray/%E0%A4%A')).toEqual({ ok: false, status: 400 });
    expect(resolveAppAsset(root, 'app://annotray/a%00.js')).toEqual({ ok: false, status: 400 });
    expect(resolveAppAsset(root, 'app://annotray/run.exe')).toEqual({ ok: false, status: 404 });
    expect(resolveAppAsset(root, 'not a url')).toEqual({ ok: false, status: 400 });
  });
});

describe('isAppUrl', () => {
  it('trusts our pages (and the dev server in development) only', () => {
    expect(isAppUrl('app://annotray/index.html#/settings')).toBe(true);
    expect(isAppUrl('app://annotray.evil/index.html')).toBe(false);
    expect(isAppUrl('https://ls.example.com/')).toBe(false);
    expect(isAppUrl('file:///opt/annotray/dist/renderer/index.html')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts only from the app, no inline script, eval or network', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('lets the Vite dev server and its HMR socket in during development', () => {
    const csp = contentSecurityPolicy('http://localhost:5173');
    expect(csp).toContain("script-src 'self' http://localhost:5173 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
  });
});

describe('mainWindowFrame', () => {
  it('starts hidden and gives Linux its window icon', () => {
    expect(mainWindowFrame({ icon: '/app/icon.png', platform: 'linux' })).toMatchObject({
      show: false,
      title: 'Annotray',
      icon: '/app/icon.png',
    });
    expect(mainWindowFrame({ icon: '/app/icon.png', platform: 'darwin' }).icon).toBeUndefined();
  });
});
