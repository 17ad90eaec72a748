// The window's pages come from `app://annotray/…`, a privileged custom scheme served from the
// renderer build (dist/renderer), not from file:// (which would give the page the origin of
// the whole disk). Resolving a request to a file is pure: no escaping the folder, no
// directory listings, a fixed MIME table, a strict Content-Security-Policy on every answer.

import { extname, isAbsolute, join, normalize, relative } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'annotray';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The window's Content-Security-Policy (sent as a header; the renderer's meta tag says the
 * same). Scripts and styles only from the app itself: no inline script or style, no eval; no
 * network at all (everything comes through the preload bridge); no frames, plugins or forms.
 * React sets element styles through the CSSOM, which CSP does not restrict. The Vite dev
 * server injects inline styles and a refresh preamble and needs its HMR socket.
 */
export function contentSecurityPolicy(devServerOrigin?: string): string {
  const self = devServerOrigin ? `'self' ${devServerOrigin}` : "'self'";
  const inline = devServerOrigin ? " 'unsafe-inline'" : '';
  const ws = devServerOrigin ? ` ${devServerOrigin.replace(/^http/, 'ws')}` : '';
  return [
    "default-src 'none'",
    `script-src ${self}${inline}`,
    `style-src ${self}${inline}`,
    `img-src ${self} data:`,
    `font-src ${self}`,
    `connect-src ${self}${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export type AppAsset =
  | { readonly ok: true; readonly path: string; readonly mime: string }
  | { readonly ok: false; readonly status: 400 | 404 };

/** The file under `root` an `app://annotray/…` URL stands for. */
export function resolveAppAsset(root: string, requestUrl: string): AppAsset {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST) return { ok: false, status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0')) return { ok: false, status: 400 };
  const wanted = pathname === '/' || pathname === '' ? '/index.html' : pathname;
  const path = normalize(join(root, wanted));
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { ok: false, status: 404 };
  const mime = MIME[extname(path).toLowerCase()];
  if (!mime) return { ok: false, status: 404 };
  return { ok: true, path, mime };
}

/** Whether a frame URL is one of our own pages (IPC senders, navigation). */
export function isAppUrl(raw: string | undefined, devServerOrigin?: string): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  // Node's URL gives custom schemes an opaque origin ('null'): compare scheme and host.
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  return devServerOrigin !== undefined && url.origin === devServerOrigin;
}
