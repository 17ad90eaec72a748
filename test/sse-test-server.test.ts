// Checks the fault-injecting SSE server itself with plain fetch, so the engine's integration
// tests can trust what it does.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SseTestServer, startSseTestServer } from './support/sse-test-server.ts';

const PATH = '/api/notifications/events/user_42';

/** Reads from a stream until `text` has arrived, within a bounded time. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  text: string,
  timeoutMs = 2_000,
): Promise<string> {
  const decoder = new TextDecoder();
  let received = '';
  const deadline = Date.now() + timeoutMs;
  while (!received.includes(text)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      throw new Error(`did not receive ${JSON.stringify(text)}; got ${JSON.stringify(received)}`);
    const result = await Promise.race([
      reader.read(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), remaining)),
    ]);
    if (result === 'timeout') continue;
    if (result.done)
      throw new Error(`stream ended before ${JSON.stringify(text)}; got ${JSON.stringify(received)}`);
    received += decoder.decode(result.value, { stream: true });
  }
  return received;
}

/** Resolves to 'pending' when the promise has not settled within `ms`. */
function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([
    promise,
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

describe('sse-test-server', () => {
  let server: SseTestServer;
  const controllers: AbortController[] = [];

  function open(path = PATH): { controller: AbortController; response: Promise<Response> } {
    const controller = new AbortController();
    controllers.push(controller);
    return { controller, response: fetch(server.url + path, { signal: controller.signal }) };
  }

  beforeEach(async () => {
    server = await startSseTestServer();
  });

  afterEach(async () => {
    for (const controller of controllers.splice(0)) controller.abort();
    await server.close();
  });

  it('answers at once with SSE headers and delivers sent frames', async () => {
    server.route(PATH, { kind: 'stream' });
    const response = await open().response;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    await server.waitForOpenStreams(PATH, 1);
    server.send(PATH, 'data: {"a":1}\n\n');
    expect(await readUntil(reader, '\n\n')).toBe('data: {"a":1}\n\n');
    expect(server.requests[0]).toMatchObject({ path: PATH, method: 'GET' });
  });

  it('holds the headers back until the first send', async () => {
    server.route(PATH, { kind: 'stream', holdHeaders: true });
    const { response } = open();
    await server.waitForOpenStreams(PATH, 1);
    expect(await settledWithin(response, 300)).toBe('pending');
    server.send(PATH, 'data: first\n\n');
    const answered = await response;
    expect(answered.status).toBe(200);
    const reader = answered.body?.getReader();
    if (!reader) throw new Error('no body');
    expect(await readUntil(reader, 'first')).toBe('data: first\n\n');
  });

  it('replays frames on every connect, after the initial text', async () => {
    server.route(PATH, {
      kind: 'stream',
      initial: ': connected\n\n',
      replay: ['id: 1\ndata: a\n\n', 'id: 2\ndata: b\n\n'],
    });
    for (let i = 0; i < 2; i++) {
      const reader = (await open().response).body?.getReader();
      if (!reader) throw new Error('no body');
      expect(await readUntil(reader, 'data: b\n\n')).toBe(
        ': connected\n\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n',
      );
    }
    expect(server.requests).toHaveLength(2);
  });

  it('stalls existing streams while new connections stay live', async () => {
    server.route(PATH, { kind: 'stream' });
    const oldReader = (await open().response).body?.getReader();
    if (!oldReader) throw new Error('no body');
    await server.waitForOpenStreams(PATH, 1);
    server.stall(PATH);
    const newReader = (await open().response).body?.getReader();
    if (!newReader) throw new Error('no body');
    await server.waitForOpenStreams(PATH, 2);
    server.send(PATH, 'data: after-stall\n\n');
    expect(await readUntil(newReader, 'after-stall')).toBe('data: after-stall\n\n');
    expect(await settledWithin(oldReader.read(), 300)).toBe('pending');
    expect(server.openStreams(PATH)).toBe(2);
    await oldReader.cancel();
    await server.waitForOpenStreams(PATH, 1);
  });

  it('drops streams abruptly and ends them cleanly', async () => {
    server.route(PATH, { kind: 'stream' });
    const dropped = (await open().response).body?.getReader();
    if (!dropped) throw new Error('no body');
    await server.waitForOpenStreams(PATH, 1);
    server.dropAll(PATH);
    await expect(dropped.read()).rejects.toThrow();

    const ended = (await open().response).body?.getReader();
    if (!ended) throw new Error('no body');
    await server.waitForOpenStreams(PATH, 1);
    server.endAll(PATH);
    expect((await ended.read()).done).toBe(true);
  });

  it('answers status, redirect, hang and handler scenarios', async () => {
    server.route('/status', {
      kind: 'status',
      status: 502,
      body: 'Bad Gateway',
      headers: { server: 'nginx' },
    });
    server.route('/redirect', { kind: 'redirect', location: '/user/login/' });
    server.route('/hang', { kind: 'hang' });
    server.route('/handler', { kind: 'handler', handle: (_req, res) => res.writeHead(418).end('teapot') });

    const status = await fetch(`${server.url}/status`);
    expect([status.status, status.headers.get('server'), await status.text()]).toEqual([
      502,
      'nginx',
      'Bad Gateway',
    ]);
    const redirect = await fetch(`${server.url}/redirect`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/user/login/']);
    expect((await fetch(`${server.url}/handler?x=1`)).status).toBe(418);
    expect(server.requests.at(-1)).toMatchObject({ path: '/handler', url: '/handler?x=1' });

    const hanging = open('/hang');
    await server.waitForRequests('/hang', 1);
    expect(await settledWithin(hanging.response, 300)).toBe('pending');
    server.dropAll('/hang');
    await expect(hanging.response).rejects.toThrow();
    expect((await fetch(`${server.url}/unknown`)).status).toBe(404);
  });

  it('refuses connections after stopListening and accepts them again on the same port', async () => {
    server.route(PATH, { kind: 'stream' });
    const reader = (await open().response).body?.getReader();
    if (!reader) throw new Error('no body');
    await server.waitForOpenStreams(PATH, 1);
    await server.stopListening();
    await expect(reader.read()).rejects.toThrow();
    const refused = await fetch(server.url + PATH).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect(((refused as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');

    await server.startListening();
    expect((await open().response).status).toBe(200);
  });

  it('times out waiting with a message that says what it waited for', async () => {
    await expect(server.waitForRequests(PATH, 1, 50)).rejects.toThrow(`1 requests to ${PATH} (saw 0)`);
  });
});
