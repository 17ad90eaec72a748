// The built-in demo feed through the real engine: what a person sees on first run, with no
// server configured — events, native notifications, task links that open, and the gaps the
// app records when the computer sleeps.

import { afterEach, describe, expect, it } from 'vitest';
import type { AppCore } from '../app/app-core.ts';
import { DEMO_CHANNEL, LocalDemoFeed } from '../app/demo/demo-feed.ts';
import { createTestCore } from './support/test-core.ts';

const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

let feed: LocalDemoFeed | undefined;
let core: AppCore | undefined;
afterEach(async () => {
  await core?.stop();
  await feed?.stop();
  core = undefined;
  feed = undefined;
});

function setup() {
  feed = new LocalDemoFeed({ intervalMs: 25, firstEventMs: 10 });
  // No keyring, as on a fresh Linux desktop.
  const t = createTestCore({
    demo: feed,
    vault: { available: false, encrypt: async (x) => x, decrypt: async (x) => x },
  });
  core = t.core;
  return { ...t, feed };
}

describe('the demo feed', () => {
  it('speaks Label Studio’s wire format on 127.0.0.1 and serves task pages', async () => {
    feed = new LocalDemoFeed({ intervalMs: 20, firstEventMs: 5 });
    const { url, channel } = await feed.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(channel).toBe(DEMO_CHANNEL);
    const controller = new AbortController();
    const response = await fetch(`${url}/api/notifications/events/${channel}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body?.getReader();
    let text = '';
    while (reader && text.split('\n\n').length < 3)
      text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames[0]).toMatch(/^data: \{.*\}$/);
    const first = JSON.parse(frames[0]?.slice(6) ?? '{}') as Record<string, unknown>;
    // The story starts once someone subscribes.
    expect(first).toMatchObject({
      event_type: 'ocr.task.assigned',
      task_id: 100,
      project_id: 3,
      user: 42,
      document_name: 'invoice_0042.pdf',
    });
    expect(first.message_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(text).not.toMatch(/^(id|retry|event):/m);

    expect((await fetch(`${url}/api/notifications/events/${channel}`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/api/notifications/events/user_1`)).status).toBe(404);
    const task = await fetch(`${url}/projects/3/data?task=100`);
    expect(task.status).toBe(200);
    expect(await task.text()).toContain('Task 100');
    const injected = await fetch(`${url}/projects/3/data?task=<script>alert(1)</script>`);
    expect(await injected.text()).not.toContain('<script>alert');
  });

  it('runs through AppCore on first run: events reach the window and the notifier, task links open', async () => {
    const t = setup();
    await t.core.start();
    const snapshot = await t.core.request('app:snapshot', {});
    expect(snapshot.demo).toBe(true);
    expect(snapshot.channels.map((c) => c.channel)).toEqual([DEMO_CHANNEL]);
    await until(() => t.pushed('push:events').flat().length >= 3);
    expect(t.notes.length).toBeGreaterThan(0);
    const events = await t.core.request('events:list', { channelKey: null });
    const withTask = events.events.find((e) => e.taskUrl);
    expect(withTask?.title).toMatch(/^Task \d+/);
    expect(await t.core.handle('task:open', { url: withTask?.taskUrl ?? '' })).toEqual({ opened: true });
    expect(t.opened).toEqual([withTask?.taskUrl]);
    const page = await fetch(t.opened[0] ?? '');
    expect(page.status).toBe(200);
    expect(
      await t.core.handle('task:open', { url: 'https://evil.example/projects/3/data?task=1' }),
    ).toMatchObject({ opened: false });
  });

  it('shows a gap for the time the computer slept and reconnects on wake', async () => {
    const t = setup();
    await t.core.start();
    await until(() => t.core.channels()[0]?.state.kind === 'open');
    t.core.suspend('the computer was asleep');
    t.core.suspend('the computer was asleep');
    await new Promise((r) => setTimeout(r, 20));
    expect(t.core.resume('the computer woke up')).toBe(1);
    // The gap ends when the channel is subscribed again. (An event the feed published while
    // the new connection was being opened can then be credited to the gap as resent, which
    // pushes the same gap once more: it is judged by its latest version.)
    await until(() => t.pushed('push:gap').some((g) => g.to !== undefined));
    const gaps = t.pushed('push:gap');
    expect(gaps[0]).toMatchObject({ reason: 'the computer was asleep' });
    expect(gaps[0]?.to).toBeUndefined();
    expect(new Set(gaps.map((g) => g.id))).toEqual(new Set([gaps[0]?.id]));
    const closed = gaps.at(-1);
    expect(closed?.to).toBeGreaterThanOrEqual(closed?.from ?? Number.POSITIVE_INFINITY);
    const list = await t.core.request('events:list', { channelKey: null });
    expect(list.gaps.find((g) => g.id === closed?.id)).toMatchObject({
      from: closed?.from,
      to: closed?.to,
      reason: 'the computer was asleep',
    });
    const before = t.pushed('push:events').flat().length;
    await until(() => t.pushed('push:events').flat().length > before + 2);
  });
});
