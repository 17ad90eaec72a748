// Runs the built window in Debian's Chromium against the real AppCore in this Node process:
// the page's `window.annotray` is the same two-function API the preload exposes, with
// `invoke` answered by `AppCore.handle` (an exposed binding) and AppCore's pushes delivered
// into the page in order. Everything between the window and the engine is the product's code;
// only Electron's IPC is replaced.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import type { PushChannel, PushPayloads } from '../../contract/ipc-contract.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds renderer/ with the repository's vite.config.ts into a fresh temporary directory. */
export async function buildRenderer(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'annotray-renderer-'));
  await build({
    configFile: resolve('vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true, reportCompressedSize: false },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Serves a directory on 127.0.0.1 (GET only, no listing, nothing outside the directory). */
export async function serveDirectory(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (path === '/favicon.ico') {
      // Chromium asks for one; Electron does not. No icon, and no 404 in the console.
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' || (file !== root && !file.startsWith(root + sep))) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res
          .writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the static server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** AppCore's `push` port, pointed at whichever page is open (none at first, like a closed window). */
export class PushRelay {
  #page: Page | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  readonly push = <C extends PushChannel>(channel: C, payload: PushPayloads[C]): void => {
    const page = this.#page;
    if (!page) return;
    // One after the other, so the page hears them in AppCore's order.
    this.#queue = this.#queue
      .then(() =>
        page.evaluate(
          ([c, p]) =>
            (
              globalThis as unknown as { __annotrayDeliver?: (c: string, p: unknown) => void }
            ).__annotrayDeliver?.(c, p),
          [channel, payload] as const,
        ),
      )
      .catch(() => {
        // The page navigated or closed: like Electron, a window that is gone misses the message.
      });
  };

  attach(page: Page | undefined): void {
    this.#page = page;
  }

  /** Resolves once every push sent so far has reached the page. */
  settled(): Promise<unknown> {
    return this.#queue;
  }
}

/**
 * The preload's `window.annotray`, built in the page: `invoke` calls the exposed binding and
 * `on` registers listeners that `__annotrayDeliver` feeds. CSP violations and page errors are
 * recorded for the test to assert there are none.
 */
const BRIDGE_SCRIPT = `(() => {
  const listeners = new Map();
  window.__annotrayProblems = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__annotrayProblems.push('CSP ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
  });
  // Timings for the performance measurements (PRODUCT.md §6): long tasks, when main's answers
  // arrived, and when the first event row entered the DOM.
  window.__annotrayLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__annotrayLongTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }
  }).observe({ type: 'longtask' });
  const rows = new MutationObserver(() => {
    if (!document.querySelector('.event-row')) return;
    performance.mark('annotray:first-event-row');
    rows.disconnect();
  });
  rows.observe(document, { childList: true, subtree: true });
  window.__annotrayDeliver = (channel, payload) => {
    for (const listener of [...(listeners.get(channel) || [])]) listener(payload);
  };
  const api = {
    invoke: (channel, request) =>
      window.__annotrayInvoke(channel, request).then((answer) => {
        performance.mark('annotray:answered ' + channel);
        return answer;
      }),
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return () => listeners.get(channel).delete(listener);
    },
  };
  Object.defineProperty(window, 'annotray', { value: Object.freeze(api), enumerable: true });
})();`;

export interface PageTimings {
  /** Milliseconds since navigation. */
  readonly marks: Readonly<Record<string, number>>;
  readonly longTasks: readonly { readonly start: number; readonly duration: number }[];
}

export interface AppPage {
  readonly page: Page;
  readonly context: BrowserContext;
  timings(): Promise<PageTimings>;
  /** Page errors, console errors and CSP violations seen so far. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openAppPage(
  browser: Browser,
  url: string,
  core: { handle(channel: unknown, request: unknown): Promise<unknown> },
  relay: PushRelay,
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 900, height: options.height ?? 640 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
    locale: 'en-GB',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const pageProblems: string[] = [];
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`console error: ${message.text()}`);
  });
  await page.exposeBinding('__annotrayInvoke', (_source, channel: unknown, request: unknown) =>
    core.handle(channel, request),
  );
  await page.addInitScript({ content: BRIDGE_SCRIPT });
  relay.attach(page);
  await page.goto(url);
  return {
    page,
    context,
    timings() {
      return page.evaluate(() => {
        const g = globalThis as unknown as {
          performance: { getEntriesByType(type: string): { name: string; startTime: number }[] };
          __annotrayLongTasks?: { start: number; duration: number }[];
        };
        const marks: Record<string, number> = {};
        for (const m of g.performance.getEntriesByType('mark')) marks[m.name] = Math.round(m.startTime);
        return { marks, longTasks: g.__annotrayLongTasks ?? [] };
      });
    },
    async problems() {
      const inPage = await page
        .evaluate(() => (globalThis as unknown as { __annotrayProblems?: string[] }).__annotrayProblems ?? [])
        .catch(() => []);
      return [...pageProblems, ...inPage];
    },
    async close() {
      relay.attach(undefined);
      await context.close();
    },
  };
}

/** Formats a time as Label Studio's `message_time`: a naive ISO-8601 local time. */
export function naiveLocalTime(time: number): string {
  const d = new Date(time);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
}

/** One SSE frame with a Label Studio notification. */
export function notificationFrame(payload: Record<string, unknown>): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}
