// Proxy idle timeouts: a quiet channel behind nginx with a short proxy_read_timeout in front of
// the real Daphne + Redis, as PRODUCT.md §6 ("Proxies") sets the bar. `annotray watch --json`
// runs as a person would run it; its status lines give the time subscribed (state `open`,
// headers held back or not) and the delay from each cut to the next `open`. One event is
// published every PUBLISH_EVERY_MS at fixed times (Redis keeps nothing: an event published
// while the channel is not subscribed is lost for good).

import { runCli } from '../test/support/cli-process.ts';
import {
  publishLabelStudio,
  startDaphne,
  startNginx,
  startRedis,
  stopAll,
} from '../test/support/real-servers.ts';
import { distribution, type Figure, measured } from './support/figure.ts';
import { sleep } from './support/stamp.ts';
import { TARGETS } from './support/targets.ts';

export interface ProxySettings {
  readonly seconds: number;
  /** The proxy's idle timeout (nginx proxy_read_timeout), seconds. */
  readonly readTimeoutSeconds: number;
}

const TOKEN = 'bench-proxy-token';
const PUBLISH_EVERY_MS = 7_000;

export async function measureProxy(settings: ProxySettings): Promise<Figure[]> {
  const redis = await startRedis();
  try {
    const daphne = await startDaphne({ redisPort: redis.port, token: TOKEN });
    const nginx = await startNginx({
      upstreamPort: daphne.port,
      readTimeoutSeconds: settings.readTimeoutSeconds,
    });
    const channel = `bench_proxy_${process.pid}`;
    const run = runCli(['watch', '--server', nginx.url, '--channel', channel, '--json'], {
      ANNOTRAY_TOKEN: TOKEN,
    });
    const started = Date.now();
    const end = started + settings.seconds * 1000;
    let published = 0;
    try {
      await run.waitFor((line) => line.kind === 'status' && line.state === 'open', 20_000, 'the first open');
      for (let next = Date.now() + PUBLISH_EVERY_MS / 2; next < end; next += PUBLISH_EVERY_MS) {
        await sleep(Math.max(0, next - Date.now()));
        await publishLabelStudio(redis.port, channel, {
          event_type: 'ocr.task.assigned',
          subject: 'New OCR Task Assigned',
          message: `bench event ${published + 1}`,
          user: 42,
          task_id: published + 1,
          project_id: 7,
        });
        published++;
      }
      await sleep(Math.max(0, end - Date.now()));
    } finally {
      await run.stop();
      await nginx.stop();
      await daphne.stop();
    }
    const finished = end;
    const statuses = run
      .of('status', channel)
      .map((line) => ({ state: String(line.state), at: Date.parse(String(line.at)) }))
      .filter((line) => line.at <= finished);
    const firstOpen = statuses.find((line) => line.state === 'open')?.at ?? finished;
    let subscribedMs = 0;
    const resubscribeMs: number[] = [];
    let openSince: number | undefined;
    let cutAt: number | undefined;
    let reconnects = 0;
    for (const line of statuses) {
      if (line.state === 'open') {
        openSince ??= line.at;
        if (cutAt !== undefined) resubscribeMs.push(line.at - cutAt);
        cutAt = undefined;
      } else {
        if (openSince !== undefined) subscribedMs += line.at - openSince;
        openSince = undefined;
        if (line.state === 'reconnecting' && cutAt === undefined) {
          cutAt = line.at;
          reconnects++;
        }
      }
    }
    if (openSince !== undefined) subscribedMs += finished - openSince;
    const measuredMs = finished - firstOpen;
    const delivered = new Set(run.events(channel).map((event) => event.taskId)).size;
    const delays = distribution(resubscribeMs);
    const spec = (id: string, label: string, unit: string) => ({
      bench: 'proxy',
      id: `proxy.${id}`,
      label,
      unit,
    });
    const where = `nginx proxy_read_timeout ${settings.readTimeoutSeconds} s, Daphne + Redis, ${Math.round(measuredMs / 1000)} s`;
    return [
      measured(
        {
          ...spec(
            'subscribed',
            `quiet channel behind a proxy cutting every ${settings.readTimeoutSeconds} s: time subscribed`,
            '%',
          ),
          target: TARGETS.proxySubscribed,
          note: where,
        },
        Math.round((subscribedMs / Math.max(1, measuredMs)) * 1000) / 10,
      ),
      measured(
        {
          ...spec('delivered', 'events delivered of published', 'events'),
          note: `${delivered} of ${published}`,
        },
        delivered,
      ),
      measured(spec('published', 'events published (one every 7 s)', 'events'), published),
      measured(spec('reconnects', 'reconnects (cuts)', 'count'), reconnects),
      measured(
        {
          ...spec('resubscribeP50', 're-subscribe delay after a cut, p50', 'ms'),
          target: TARGETS.proxyResubscribe,
        },
        Number.isNaN(delays.p50) ? -1 : Math.round(delays.p50),
      ),
      measured(
        {
          ...spec('resubscribeMax', 're-subscribe delay after a cut, max', 'ms'),
          target: TARGETS.proxyResubscribe,
        },
        Number.isNaN(delays.max) ? -1 : Math.round(delays.max),
      ),
    ];
  } finally {
    await stopAll();
  }
}
