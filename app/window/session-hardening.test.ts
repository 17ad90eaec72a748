import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeadersReceivedResponse, WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './app-protocol.ts';
import { type HardenedSession, hardenSession } from './session-hardening.ts';

type PermissionSetter =
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler';
type Handler<K extends PermissionSetter> = NonNullable<Parameters<HardenedSession[K]>[0]>;

let rendererDir: string;
beforeAll(() => {
  rendererDir = mkdtempSync(join(tmpdir(), 'annotray-session-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Annotray</title>');
});
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

function fakeSession() {
  const registered: {
    request?: Handler<'setPermissionRequestHandler'>;
    check?: Handler<'setPermissionCheckHandler'>;
    device?: Handler<'setDevicePermissionHandler'>;
    schemes: Map<string, (request: Request) => Response | Promise<Response>>;
    headers: {
      urls: string[];
      listener: Parameters<HardenedSession['webRequest']['onHeadersReceived']>[1];
    }[];
  } = { schemes: new Map(), headers: [] };
  const session: HardenedSession = {
    setPermissionRequestHandler: (handler) => {
      if (handler) registered.request = handler;
    },
    setPermissionCheckHandler: (handler) => {
      if (handler) registered.check = handler;
    },
    setDevicePermissionHandler: (handler) => {
      if (handler) registered.device = handler;
    },
    protocol: { handle: (scheme, handler) => registered.schemes.set(scheme, handler) },
    webRequest: {
      onHeadersReceived: (filter, listener) => registered.headers.push({ urls: filter.urls, listener }),
    },
  };
  return { session, registered };
}

function harden(devServerOrigin?: string) {
  const { session, registered } = fakeSession();
  const logged: unknown[] = [];
  hardenSession(session, { rendererDir, devServerOrigin, logger: { log: (...args) => logged.push(args) } });
  return { registered, logged };
}

describe('hardenSession', () => {
  it('refuses every permission request and logs it, and answers no to checks and devices', () => {
    const { registered, logged } = harden();
    const answers: boolean[] = [];
    // The handler never looks at the page that asked.
    const contents = {} as WebContents;
    registered.request?.(contents, 'media', (granted) => answers.push(granted), {
      isMainFrame: true,
      requestingUrl: 'app://annotray/index.html',
    });
    expect(answers).toEqual([false]);
    expect(logged).toEqual([
      ['warn', 'denied a permission request from the window', { permission: 'media' }],
    ]);
    expect(registered.check?.(null, 'notifications', 'app://annotray', { isMainFrame: true })).toBe(false);
    expect(
      registered.device?.({
        deviceType: 'serial',
        origin: 'app://annotray',
        device: { portId: '1', portName: 'ttyS0' },
      }),
    ).toBe(false);
  });

  it('serves the renderer on app:// with the window’s CSP', async () => {
    const { registered } = harden();
    const handler = registered.schemes.get('app');
    const response = await handler?.(new Request('app://annotray/index.html'));
    expect(response?.status).toBe(200);
    expect(response?.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(await response?.text()).toBe('<!doctype html><title>Annotray</title>');
    expect(registered.headers).toEqual([]);
  });

  it('in development gives the dev server’s pages the CSP that allows it, as a header', async () => {
    const origin = 'http://localhost:5173';
    const { registered } = harden(origin);
    expect(registered.headers.map((h) => h.urls)).toEqual([[`${origin}/*`]]);
    const answers: HeadersReceivedResponse[] = [];
    registered.headers[0]?.listener(
      {
        id: 1,
        url: `${origin}/index.html`,
        method: 'GET',
        resourceType: 'mainFrame',
        referrer: '',
        timestamp: 0,
        statusLine: 'HTTP/1.1 200 OK',
        statusCode: 200,
        responseHeaders: { 'Content-Type': ['text/html'] },
      },
      (answer) => answers.push(answer),
    );
    expect(answers).toEqual([
      {
        responseHeaders: {
          'Content-Type': ['text/html'],
          'Content-Security-Policy': [contentSecurityPolicy(origin)],
        },
      },
    ]);
    const page = await registered.schemes.get('app')?.(new Request('app://annotray/index.html'));
    expect(page?.headers.get('content-security-policy')).toBe(contentSecurityPolicy(origin));
  });
});
