// What the window asks of the server list: save one (new or edited), remove one, and test a
// connection before saving it (the doctor over SSE, the socket probe over WebSocket).

import type { DiagnosisDto, SettingsDto } from '../../contract/dto.ts';
import { type DoctorReport, runDoctor } from '../../engine/doctor/doctor.ts';
import { probeSocket } from '../../engine/doctor/socket-probe.ts';
import {
  type StoredSettings,
  sealToken,
  type TokenVault,
  toServerConfig,
  validateServerInput,
} from '../settings/settings-model.ts';
import type { RequestHandlers } from './request-handlers.ts';

export interface ServerRequestsContext {
  readonly settings: () => StoredSettings;
  /** Stores the settings and tells the window and the tray. */
  readonly save: (settings: StoredSettings) => void;
  /** Restarts the engine on the stored servers (queued behind any restart under way). */
  readonly applyServers: () => Promise<void>;
  readonly settingsDto: () => SettingsDto;
  readonly vault: TokenVault;
  readonly diagnose?: (options: Parameters<typeof runDoctor>[0]) => Promise<DoctorReport>;
}

/** How long "Test connection" waits for a first event over SSE. */
const TEST_WAIT_MS = 5_000;

export function serverRequests(
  context: ServerRequestsContext,
): RequestHandlers<'settings:saveServer' | 'settings:removeServer' | 'settings:testConnection'> {
  return {
    'settings:saveServer': async ({ server }) => {
      // Sealed first: the settings are read after the keyring answered, so a save or removal
      // made meanwhile is seen (new servers' ids stay unique, a removed one stays removed).
      const token = await sealToken(context.vault, server.token);
      const settings = context.settings();
      const existing = server.id ? settings.servers.find((s) => s.id === server.id) : undefined;
      if (server.id && !existing)
        return { ok: false, errors: [{ field: 'form', message: 'this server was removed meanwhile' }] };
      const others = settings.servers.filter((s) => s !== existing);
      const result = validateServerInput(server, existing, others, token);
      if (!result.ok) return { ok: false, errors: result.errors };
      const servers = existing
        ? settings.servers.map((s) => (s === existing ? result.server : s))
        : [...settings.servers, result.server];
      context.save({ ...settings, servers });
      await context.applyServers();
      return { ok: true, value: context.settingsDto() };
    },
    'settings:removeServer': async ({ id }) => {
      const settings = context.settings();
      context.save({ ...settings, servers: settings.servers.filter((s) => s.id !== id) });
      await context.applyServers();
      return context.settingsDto();
    },
    'settings:testConnection': async ({ server, channel }) => {
      const token = await sealToken(context.vault, server.token);
      const existing = server.id ? context.settings().servers.find((s) => s.id === server.id) : undefined;
      const channels = channel.trim() ? [channel.trim()] : server.channels;
      const result = validateServerInput({ ...server, channels }, existing, [], token);
      if (!result.ok) return { ok: false, errors: result.errors };
      const config = await toServerConfig(result.server, context.vault);
      const report =
        result.server.transport === 'ws'
          ? await probeSocket({
              server: config.url,
              channel: config.channels[0] ?? '',
              auth: config.auth,
              ...(result.server.socketPath ? { socketPath: result.server.socketPath } : {}),
            })
          : await (context.diagnose ?? runDoctor)({
              server: config.url,
              channel: config.channels[0] ?? '',
              auth: config.auth,
              eventsPath: result.server.eventsPath,
              waitMs: TEST_WAIT_MS,
            });
      const value: DiagnosisDto = {
        url: report.url,
        verdict: report.verdict,
        checks: report.checks.map((c) => ({ ...c })),
      };
      return { ok: true, value };
    },
  };
}
