// The Django Channels WebSocket server of seed 002 (test/servers/channels), on Daphne with
// channels_redis, for the WebSocket transport tests. Started and stopped like the other
// real servers (test/support/real-servers.ts).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpProbe, type ServerHandle, startManagedServer } from './managed-process.ts';
import { ensureSystemDeps } from './real-servers.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../servers/channels');

export interface ChannelsServer extends ServerHandle {
  /** Sends `data` to the group `user_<userId>_notifications`, as the seed's broadcast helper does. */
  publish(userId: number, data: unknown): Promise<void>;
}

export async function startChannelsServer(options: {
  redisPort: number;
  tokens: Record<string, number>;
}): Promise<ChannelsServer> {
  ensureSystemDeps();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    DJANGO_SETTINGS_MODULE: 'wsproj.settings',
    ANNOTRAY_REDIS_URL: `redis://127.0.0.1:${options.redisPort}/0`,
    ANNOTRAY_WS_TOKENS: Object.entries(options.tokens)
      .map(([key, id]) => `${key}:${id}`)
      .join(','),
  };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  const server = await startManagedServer({
    name: 'channels',
    command: '/usr/bin/python3',
    args: (port) => ['-m', 'daphne', '-b', '127.0.0.1', '-p', String(port), 'wsproj.asgi:application'],
    cwd: dir,
    env,
    probe: (port) => httpProbe(port, '/health'),
    url: (port) => `http://127.0.0.1:${port}`,
  });
  return Object.assign(server, {
    async publish(userId: number, data: unknown) {
      const response = await fetch(`${server.url}/publish/${userId}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(data),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok)
        throw new Error(`publish failed: HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
    },
  });
}
