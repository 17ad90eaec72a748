// Proves that the real test servers behave like the deployments in PRODUCT.md §1, using plain
// node:http and fetch (never the engine): if these fail, tests of the engine against these
// servers prove nothing. They also pin down the server behaviour Annotray has to survive.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawSseStream, type RawSseStream } from '../support/raw-sse-stream.ts';
import {
  delay,
  type LabelStudioServer,
  type NginxServer,
  publishLabelStudio,
  publishRaw,
  publishReplay,
  type RedisServer,
  type ReplayServer,
  replayChannelStats,
  startDaphne,
  startNginx,
  startRedis,
  startReplayServer,
  stopAll,
  subscriberCount,
  waitForSubscribers,
} from '../support/real-servers.ts';

const TOKEN = 'test-token-3f9a';
const auth = { authorization: `Token ${TOKEN}` };
// 2026-11-18T11:06:40.5Z as Label Studio publishes it: a float epoch.
const MESSAGE_TIME = 1_795_000_000.5;

let channelCounter = 0;
const freshChannel = () => `user_${process.pid}_${++channelCounter}`;

const streams: RawSseStream[] = [];
function open(url: string, headers: Record<string, string> = {}): RawSseStream {
  const stream = openRawSseStream(url, headers);
  streams.push(stream);
  return stream;
}

afterAll(async () => {
  for (const stream of streams) stream.close();
  await stopAll();
});

function assignedContext(taskId: number): Record<string, unknown> {
  return {
    event_type: 'ocr.task.assigned',
    subject: 'New OCR Task Assigned',
    message: `Document 'scan-${taskId}.pdf' assigned for annotation`,
    message_time: MESSAGE_TIME,
    user: 42,
    task_id: taskId,
    project_id: 7,
  };
}

async function connectionRefused(url: string): Promise<string | undefined> {
  try {
    await fetch(url);
    return undefined;
  } catch (error) {
    return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

describe('Label Studio notifications on Daphne + Redis + nginx', () => {
  let redis: RedisServer;
  let daphne: LabelStudioServer;
  let nginx: NginxServer;

  beforeAll(async () => {
    redis = await startRedis();
    daphne = await startDaphne({ redisPort: redis.port, token: TOKEN });
    nginx = await startNginx({ upstreamPort: daphne.port });
  });

  afterAll(async () => {
    await nginx?.stop();
    await daphne?.stop();
    await redis?.stop();
  });

  it('sends no status line and no headers until the first event on a quiet channel', async () => {
    const channel = freshChannel();
    const openedAt = Date.now();
    const stream = open(daphne.eventsUrl(channel), auth);
    await waitForSubscribers(redis.port, channel);
    await delay(Math.max(0, 1_500 - (Date.now() - openedAt)));

    expect(stream.headersReceived()).toBe(false);
    expect(stream.isOpen()).toBe(true);

    expect(await publishLabelStudio(redis.port, channel, assignedContext(1))).toBe(1);
    const response = await stream.response;
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers['transfer-encoding']).toBe('chunked');
    const [event] = await stream.waitForEvents(1);
    // The view converts the float epoch to a naive ISO time; no id, no retry, no comments.
    expect(JSON.parse(event?.data ?? '')).toEqual({
      ...assignedContext(1),
      message_time: '2026-11-18T11:06:40.500000',
    });
    expect(stream.text()).toMatch(/^data: \{.*\}\n\n$/);
    expect(event?.id).toBeUndefined();
    expect(stream.retries()).toEqual([]);
    expect(stream.comments()).toEqual([]);
  });

  it('streams events through nginx (seed config, proxy_buffering off), headers only with the first', async () => {
    const channel = freshChannel();
    const stream = open(nginx.eventsUrl(channel), auth);
    await waitForSubscribers(redis.port, channel);
    await delay(1_000);
    expect(stream.headersReceived()).toBe(false);

    for (let taskId = 1; taskId <= 3; taskId++)
      await publishLabelStudio(redis.port, channel, assignedContext(taskId));
    const events = await stream.waitForEvents(3);
    expect(events.map((e) => JSON.parse(e.data).task_id)).toEqual([1, 2, 3]);
    const response = await stream.response;
    expect(response.statusCode).toBe(200);
    expect(response.headers.server).toMatch(/^nginx/);
    expect(response.headers['x-accel-buffering']).toBe('no');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('delivers 3000 quickly published events in order through nginx, several per chunk', async () => {
    const channel = freshChannel();
    const stream = open(nginx.eventsUrl(channel), auth);
    await waitForSubscribers(redis.port, channel);
    const count = 3_000;
    const publishes: Promise<number>[] = [];
    for (let i = 0; i < count; i++) {
      publishes.push(
        publishLabelStudio(redis.port, channel, { ...assignedContext(i), event_type: 'ocr.batch.processed' }),
      );
    }
    expect(await Promise.all(publishes)).toEqual(Array(count).fill(1));
    const events = await stream.waitForEvents(count, 30_000);
    expect(events.map((e) => JSON.parse(e.data).task_id)).toEqual([...Array(count).keys()]);
    // A client must split on blank lines, not on reads: nginx merges events into one read.
    expect(stream.reads()).toBeLessThan(count);
  });

  it('answers 401 JSON without a token or with a wrong one, like DRF TokenAuthentication', async () => {
    const missing = await fetch(daphne.eventsUrl(freshChannel()));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(missing.headers.get('www-authenticate')).toBe('Token');
    expect(await missing.json()).toEqual({ detail: 'Authentication credentials were not provided.' });

    const wrong = await fetch(nginx.eventsUrl(freshChannel()), { headers: { authorization: 'Token nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ detail: 'Invalid token.' });

    const bearer = await fetch(daphne.eventsUrl(freshChannel()), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(401);
  });

  it('answers 405 to POST', async () => {
    const response = await fetch(daphne.eventsUrl(freshChannel()), { method: 'POST', headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it("keeps a disconnected client's subscription for Daphne's 10 s application close timeout", async () => {
    // Django 4.2 does not watch for http.disconnect while it streams, so the generator (and its
    // Redis subscription) lives on until Daphne's application checker cancels it.
    const channel = freshChannel();
    const stream = open(daphne.eventsUrl(channel), auth);
    await waitForSubscribers(redis.port, channel);
    stream.close();
    await stream.ended;
    const closedAt = Date.now();
    await delay(1_000);
    expect(await publishLabelStudio(redis.port, channel, assignedContext(1))).toBe(1); // counted, yet lost
    await expect.poll(() => subscriberCount(redis.port, channel), { timeout: 20_000, interval: 250 }).toBe(0);
    expect(Date.now() - closedAt).toBeGreaterThan(8_000);
  });

  it('redirects the login-protected route to a 200 text/html login page', async () => {
    const channel = freshChannel();
    const redirect = await fetch(daphne.loginRequiredEventsUrl(channel), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    expect(location).toBe(
      `/user/login/?next=${encodeURIComponent(`/login-required/api/notifications/events/${channel}`)}`,
    );

    const followed = await fetch(`${nginx.url}/login-required/api/notifications/events/${channel}`);
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    expect(followed.url).toContain('/user/login/');
    expect(followed.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await followed.text()).toContain('<form');
  });
});

describe('how the Label Studio stack fails', () => {
  let redis: RedisServer;
  let daphne: LabelStudioServer;
  let nginx: NginxServer;

  beforeAll(async () => {
    redis = await startRedis();
    daphne = await startDaphne({ redisPort: redis.port, timeZone: 'America/New_York' });
    nginx = await startNginx({ upstreamPort: daphne.port });
  });

  afterAll(async () => {
    await nginx?.stop();
    await daphne?.stop();
    await redis?.stop();
  });

  it("renders message_time in the server's own zone, without an offset", async () => {
    const channel = freshChannel();
    const stream = open(daphne.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel);
    await publishLabelStudio(redis.port, channel, assignedContext(1));
    const [event] = await stream.waitForEvents(1);
    expect(JSON.parse(event?.data ?? '').message_time).toBe('2026-11-18T06:06:40.500000');
  });

  it('stalls silently when Redis restarts: the stream stays open and never delivers again', async () => {
    const channel = freshChannel();
    const direct = open(daphne.eventsUrl(channel));
    const proxied = open(nginx.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel, 2);
    await publishLabelStudio(redis.port, channel, assignedContext(1));
    await direct.waitForEvents(1);
    await proxied.waitForEvents(1);

    await redis.restart();
    // The old subscriptions are gone with the old Redis and nothing re-subscribes them.
    expect(await subscriberCount(redis.port, channel)).toBe(0);
    expect(await publishLabelStudio(redis.port, channel, assignedContext(2))).toBe(0);

    // A new connection subscribes again and works.
    const fresh = open(daphne.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel);
    expect(await publishLabelStudio(redis.port, channel, assignedContext(3))).toBe(1);
    const [freshEvent] = await fresh.waitForEvents(1);
    expect(JSON.parse(freshEvent?.data ?? '').task_id).toBe(3);

    // The old connections are still open and silent: no error, no final chunk, no close.
    await delay(2_000);
    for (const stalled of [direct, proxied]) {
      expect(stalled.isOpen()).toBe(true);
      expect(stalled.events().map((e) => JSON.parse(e.data).task_id)).toEqual([1]);
    }
    // Daphne logged the generator's death once; it tried to answer 500 on a started response,
    // which raised inside its application checker, so the connection is never finished.
    expect(daphne.logs()).toContain('Exception inside application: Connection closed by server.');
  });

  it('stalls silently, before any header, when a malformed message kills the generator', async () => {
    const channel = freshChannel();
    const stream = open(nginx.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel);
    expect(await publishRaw(redis.port, channel, 'not json')).toBe(1);
    // The generator died and closed its subscription...
    await expect.poll(() => subscriberCount(redis.port, channel)).toBe(0);
    expect(await publishLabelStudio(redis.port, channel, assignedContext(1))).toBe(0);
    await delay(1_500);
    // ...but the client sees an open connection that never even got its status line.
    expect(stream.headersReceived()).toBe(false);
    expect(stream.isOpen()).toBe(true);

    const fresh = open(nginx.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel);
    await publishLabelStudio(redis.port, channel, assignedContext(2));
    expect((await fresh.waitForEvents(1)).length).toBe(1);
  });

  it('after one failed stream, never releases the subscriptions of clients that disconnect', async () => {
    // A stream whose generator raises makes Daphne answer 500 on an already started response,
    // which raises inside its once-a-second application checker and stops it for good: from
    // then on the process neither logs application errors nor cancels abandoned streams.
    const poison = freshChannel();
    const poisoned = open(daphne.eventsUrl(poison));
    await waitForSubscribers(redis.port, poison);
    await publishRaw(redis.port, poison, '{"no context": true}');
    await expect.poll(() => subscriberCount(redis.port, poison)).toBe(0);
    poisoned.close();

    const channel = freshChannel();
    const stream = open(daphne.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel);
    stream.close();
    await stream.ended;
    await delay(13_000);
    expect(await subscriberCount(redis.port, channel)).toBe(1);
  });

  it('cuts the stream without the final chunk when Daphne is SIGKILLed; 502 via nginx until it is back', async () => {
    const channel = freshChannel();
    const direct = open(daphne.eventsUrl(channel));
    const proxied = open(nginx.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel, 2);
    await publishLabelStudio(redis.port, channel, assignedContext(1));
    await direct.waitForEvents(1);
    await proxied.waitForEvents(1);

    await daphne.kill('SIGKILL');
    for (const cut of [direct, proxied]) {
      const end = await cut.ended;
      expect(end.complete).toBe(false);
      expect((end.error as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET');
    }
    expect(await connectionRefused(daphne.eventsUrl(channel))).toBe('ECONNREFUSED');
    const whileDown = await fetch(nginx.eventsUrl(channel));
    expect(whileDown.status).toBe(502);
    await whileDown.text();

    const restartStarted = Date.now();
    await daphne.start();
    expect(Date.now() - restartStarted).toBeLessThan(5_000);
    const again = open(nginx.eventsUrl(channel));
    await waitForSubscribers(redis.port, channel);
    await publishLabelStudio(redis.port, channel, assignedContext(2));
    expect(JSON.parse((await again.waitForEvents(1))[0]?.data ?? '').task_id).toBe(2);
  });
});

describe('nginx that buffers', () => {
  let redis: RedisServer;
  let daphne: LabelStudioServer;

  beforeAll(async () => {
    redis = await startRedis();
    daphne = await startDaphne({ redisPort: redis.port });
  });

  afterAll(async () => {
    await daphne?.stop();
    await redis?.stop();
  });

  it('still forwards each event at once with proxy_buffering on alone', async () => {
    const nginx = await startNginx({ upstreamPort: daphne.port, buffering: true });
    const channel = freshChannel();
    const stream = open(nginx.eventsUrl(channel), { 'accept-encoding': 'gzip' });
    await waitForSubscribers(redis.port, channel);
    await publishLabelStudio(redis.port, channel, assignedContext(1));
    await stream.waitForEvents(1, 1_000);
    await nginx.stop();
  });

  it('holds back headers and events with proxy_buffering on and gzip on', async () => {
    const nginx = await startNginx({ upstreamPort: daphne.port, buffering: true, gzip: true });
    const channel = freshChannel();
    const stream = open(nginx.eventsUrl(channel), { 'accept-encoding': 'gzip' });
    await waitForSubscribers(redis.port, channel);
    for (let taskId = 1; taskId <= 3; taskId++)
      await publishLabelStudio(redis.port, channel, assignedContext(taskId));
    await delay(1_500);
    expect(stream.headersReceived()).toBe(false);
    expect(stream.isOpen()).toBe(true);
    await nginx.stop();
  });
});

describe('replaying SSE server on gunicorn + gevent', () => {
  let replay: ReplayServer;

  beforeAll(async () => {
    replay = await startReplayServer({ heartbeatSeconds: 1, retryMs: 2_000 });
  });

  afterAll(async () => {
    await replay?.stop();
  });

  it('replays the last N messages with their ids on every connect, ignoring Last-Event-ID', async () => {
    const channel = freshChannel();
    for (let n = 1; n <= 7; n++) expect(await publishReplay(replay.url, channel, { n })).toBe(n);

    const first = open(replay.streamUrl(channel, 5));
    const firstEvents = await first.waitForEvents(5);
    expect(firstEvents.map((e) => e.id)).toEqual(['3', '4', '5', '6', '7']);
    expect(firstEvents.map((e) => JSON.parse(e.data).n)).toEqual([3, 4, 5, 6, 7]);
    expect(first.retries()).toEqual(['2000']);
    first.close();

    const second = open(replay.streamUrl(channel, 5), { 'last-event-id': '7' });
    expect((await second.waitForEvents(5)).map((e) => e.id)).toEqual(['3', '4', '5', '6', '7']);
    expect(await publishReplay(replay.url, channel, 'live\nsecond line', 'news')).toBe(8);
    const live = (await second.waitForEvents(6))[5];
    expect(live).toEqual({ id: '8', event: 'news', data: 'live\nsecond line' });
  });

  it('sends `:` heartbeats while idle', async () => {
    const channel = freshChannel();
    await publishReplay(replay.url, channel, 'hello');
    const stream = open(replay.streamUrl(channel, 1));
    await stream.waitForEvents(1);
    await stream.waitForText(': heartbeat\n\n', 3_000);
    expect(stream.comments()).toContain('heartbeat');
  });

  it('sends no headers on a quiet channel until its first event when heartbeats are off', async () => {
    const channel = freshChannel();
    const stream = open(replay.streamUrl(channel, 5, { heartbeat: 0 }));
    await expect.poll(async () => (await replayChannelStats(replay.url, channel)).subscribers).toBe(1);
    await delay(1_500);
    expect(stream.headersReceived()).toBe(false);

    await publishReplay(replay.url, channel, 'first');
    expect((await stream.response).headers['content-type']).toBe('text/event-stream');
    expect(await stream.waitForEvents(1)).toEqual([{ id: '1', data: 'first' }]);
    expect(stream.text()).toBe('retry: 2000\n\nid: 1\ndata: first\n\n');
  });

  it('drops live streams and forgets history and ids when its worker restarts (SIGHUP)', async () => {
    const channel = freshChannel();
    for (let n = 1; n <= 3; n++) await publishReplay(replay.url, channel, { n });
    const stream = open(replay.streamUrl(channel, 5));
    await stream.waitForEvents(3);

    replay.signal('SIGHUP');
    const end = await stream.ended;
    expect(end.complete).toBe(false);

    // A new worker with empty memory: no history to replay, and ids start again at 1.
    await expect
      .poll(async () => (await replayChannelStats(replay.url, channel)).history, { timeout: 10_000 })
      .toBe(0);
    expect(await publishReplay(replay.url, channel, { n: 4 })).toBe(1);
  });
});
