// The renderer list (PRODUCT.md §6): the built window in Debian's Chromium, backed by the real
// AppCore holding 10,000 events. Figures: main's answer → first rows painted, the longest task
// while wheel-scrolling the whole list, and frames that took longer than two vsyncs.

import {
  buildRenderer,
  launchChromium,
  naiveLocalTime,
  notificationFrame,
  openAppPage,
  PushRelay,
  serveDirectory,
} from '../test/support/renderer-harness.ts';
import { startSseTestServer } from '../test/support/sse-test-server.ts';
import { createTestCore } from '../test/support/test-core.ts';
import { type Figure, measured } from './support/figure.ts';
import { TARGETS } from './support/targets.ts';

const EVENTS = 10_000;

export async function measureList(): Promise<Figure[]> {
  const sse = await startSseTestServer();
  const built = await buildRenderer();
  const site = await serveDirectory(built.dir);
  const browser = await launchChromium();
  const relay = new PushRelay();
  const { core } = createTestCore({ push: relay.push });
  try {
    await core.start();
    const path = '/api/notifications/events/user_bench';
    sse.route(path, { kind: 'stream' });
    await core.request('settings:saveServer', {
      server: {
        name: 'Bench',
        url: sse.url,
        eventsPath: '',
        taskUrl: '',
        channels: ['user_bench'],
        authScheme: 'auto',
        idleRefreshSeconds: 300,
      },
    });
    await sse.waitForOpenStreams(path, 1);
    const start = Date.now() - EVENTS * 60_000;
    let frames = '';
    for (let i = 1; i <= EVENTS; i += 1) {
      frames += notificationFrame({
        event_type: i % 50 === 7 ? 'ocr.error.occurred' : 'ocr.task.assigned',
        task_id: i,
        project_id: 1,
        document_name: `doc_${i}.pdf`,
        subject: `Scan ${i}`,
        message: `Page ${i} of the batch is ready for annotation`,
        message_time: naiveLocalTime(start + i * 60_000),
      });
    }
    sse.send(path, frames);
    const deadline = Date.now() + 30_000;
    while ((core.channels()[0]?.total ?? 0) < EVENTS && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));

    const app = await openAppPage(browser, site.url, core, relay);
    const page = app.page;
    await page.locator('.event-row').first().waitFor({ timeout: 30_000 });
    const loaded = await app.timings();
    // Count frames while scrolling the whole list by wheel.
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        __frames: number[];
        requestAnimationFrame(cb: (t: number) => void): void;
      };
      g.__frames = [];
      const tick = (t: number) => {
        g.__frames.push(t);
        g.requestAnimationFrame(tick);
      };
      g.requestAnimationFrame(tick);
    });
    await page.mouse.move(600, 400);
    for (let i = 0; i < 120; i += 1) {
      await page.mouse.wheel(0, 900);
      await page.waitForTimeout(16);
    }
    const frameTimes = await page.evaluate(() => (globalThis as unknown as { __frames: number[] }).__frames);
    const scrolled = await app.timings();
    await app.close();

    const answered = loaded.marks['annotray:answered events:list'] ?? Number.NaN;
    const firstRow = loaded.marks['annotray:first-event-row'] ?? Number.NaN;
    const scrollTasks = scrolled.longTasks.slice(loaded.longTasks.length).map((t) => t.duration);
    const intervals = frameTimes.slice(1).map((t, i) => t - (frameTimes[i] ?? t));
    const dropped = intervals.filter((d) => d > 2 * 16.7).length;
    return [
      measured(
        {
          bench: 'list',
          id: 'firstRender',
          label: `${EVENTS} events: main's answer → first rows painted`,
          unit: 'ms',
          target: TARGETS.listFirstRender,
          note: 'Chromium headless; the IPC transfer itself is not included',
        },
        firstRow - answered,
      ),
      measured(
        {
          bench: 'list',
          id: 'longestScrollTask',
          label: 'longest task while wheel-scrolling (0 = none over 50 ms)',
          unit: 'ms',
          target: TARGETS.listLongestTask,
        },
        Math.max(0, ...scrollTasks),
      ),
      measured(
        {
          bench: 'list',
          id: 'droppedFrames',
          label: `frames over two vsyncs while scrolling (of ${intervals.length})`,
          unit: 'frames',
        },
        dropped,
      ),
    ];
  } finally {
    await core.stop();
    await browser.close();
    await site.close();
    await built.remove();
    await sse.close();
  }
}
