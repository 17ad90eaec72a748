// The feed Annotray shows on first run, before any server is configured: a local SSE server
// on 127.0.0.1 (random port) speaking Label Studio's wire format (`data: {json}\n\n`, no ids,
// no heartbeats), publishing a sample OCR event every few seconds, and serving a small page
// at the task-link address so "open task" works too. AppCore starts and stops it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../engine/ports.ts';
import type { DemoFeed } from '../app-core.ts';
import { demoEvent } from './demo-events.ts';

export const DEMO_CHANNEL = 'user_42';

export interface LocalDemoFeedOptions {
  /** Between events (default 8 s). */
  readonly intervalMs?: number;
  /** From the first subscription to the first event, so the window soon has something to show (default 1.5 s). */
  readonly firstEventMs?: number;
  readonly channel?: string;
  readonly now?: () => number;
  readonly logger?: Logger;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#eef2ff;padding:.1rem .3rem;border-radius:.25rem}</style></head><body>${body}</body></html>`;
}

function taskPage(taskId: string, projectId: string): string {
  return page(
    `Task ${taskId} — Annotray demo`,
    `<h1>Task ${escapeHtml(taskId)}</h1><p>In a real deployment this link opens task ${escapeHtml(taskId)} of project ${escapeHtml(projectId)} in Label Studio.</p>
<p>This is Annotray's built-in demo. Add your Label Studio server under <b>Settings</b> in Annotray to follow your own notifications.</p>`,
  );
}

export class LocalDemoFeed implements DemoFeed {
  readonly #options: LocalDemoFeedOptions;
  readonly #channel: string;
  readonly #streams = new Set<ServerResponse>();
  #server: Server | undefined;
  #url: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;

  constructor(options: LocalDemoFeedOptions = {}) {
    this.#options = options;
    this.#channel = options.channel ?? DEMO_CHANNEL;
  }

  /** Events published so far. */
  get published(): number {
    return this.#seq;
  }

  async start(): Promise<{ readonly url: string; readonly channel: string }> {
    if (this.#server && this.#url) return { url: this.#url, channel: this.#channel };
    const server = createServer((req, res) => this.#route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.#options.logger?.log('info', 'demo feed started', { url: this.#url, channel: this.#channel });
    return { url: this.#url, channel: this.#channel };
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const res of this.#streams) res.end();
    this.#streams.clear();
    const server = this.#server;
    this.#server = undefined;
    this.#url = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#publish();
      this.#schedule(this.#options.intervalMs ?? 8_000);
    }, ms);
    this.#timer.unref();
  }

  #publish(): void {
    // Like Redis pub/sub: an event nobody is subscribed to is gone.
    const frame = `data: ${JSON.stringify(demoEvent(this.#seq, (this.#options.now ?? Date.now)()))}\n\n`;
    this.#seq += 1;
    for (const res of this.#streams) res.write(frame);
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const events = /^\/api\/notifications\/events\/([^/]+)$/.exec(url.pathname);
    const task = /^\/projects\/(\d+)\/data$/.exec(url.pathname);
    if (req.method !== 'GET') this.#plain(res, 405, 'Method Not Allowed', { allow: 'GET' });
    else if (events) {
      if (events[1] === encodeURIComponent(this.#channel)) this.#subscribe(res);
      else this.#plain(res, 404, 'Not Found');
    } else if (task) this.#html(res, taskPage(url.searchParams.get('task') ?? '?', task[1] ?? ''));
    else if (url.pathname === '/')
      this.#html(
        res,
        page(
          'Annotray demo feed',
          `<h1>Annotray demo feed</h1><p>Sample OCR events stream from <code>/api/notifications/events/${escapeHtml(this.#channel)}</code>.</p>`,
        ),
      );
    else this.#plain(res, 404, 'Not Found');
  }

  #subscribe(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    this.#streams.add(res);
    res.on('close', () => this.#streams.delete(res));
    // The story starts once someone listens; from then on it runs like a server would,
    // whether anyone is subscribed or not.
    if (!this.#timer) this.#schedule(this.#options.firstEventMs ?? 1_500);
  }

  #html(res: ServerResponse, html: string): void {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    });
    res.end(html);
  }

  #plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(text);
  }
}
