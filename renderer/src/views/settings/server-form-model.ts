// The server form's model, apart from its view: what the person typed, how a stored server
// fills it, and how it becomes the request main validates. Choices and bounds come from the
// contract (contract/server-limits.ts), so the form offers what main accepts.

import type { AuthSchemeDto, FieldError, ServerDto, TransportDto } from '../../../../contract/dto.ts';
import { IDLE_REFRESH_SECONDS } from '../../../../contract/limits.ts';
import type { ServerInput } from '../../../../contract/server-schema.ts';

/** The form's text and choices, as typed: converted to a ServerInput only on save or test. */
export interface ServerFormState {
  name: string;
  url: string;
  channels: string;
  token: string;
  removeToken: boolean;
  authScheme: AuthSchemeDto;
  eventsPath: string;
  taskUrl: string;
  idleRefresh: string;
  transport: TransportDto;
  socketPath: string;
}

/** Request fields main may report errors on, and which of them sit under "Advanced". */
export const ADVANCED_FIELDS = ['eventsPath', 'taskUrl', 'idleRefreshSeconds', 'transport', 'socketPath'];
export const FORM_FIELDS = ['name', 'url', 'token', 'authScheme', 'channels', ...ADVANCED_FIELDS];

/** Labels for every choice the contract offers; a scheme without one fails the type check. */
export const AUTH_SCHEME_LABELS: Readonly<Record<AuthSchemeDto, string>> = {
  auto: 'Automatic (recognise the token)',
  token: 'Legacy API token (Token …)',
  pat: 'Personal Access Token (refresh JWT)',
  bearer: 'Bearer access token',
};

export const TRANSPORT_LABELS: Readonly<Record<TransportDto, string>> = {
  sse: 'Event stream (Label Studio notifications)',
  ws: 'WebSocket (Django Channels ws/notifications/)',
};

export function parseChannels(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

export function initialFormState(server: ServerDto | undefined): ServerFormState {
  return {
    name: server?.name ?? '',
    url: server?.url ?? '',
    channels: server?.channels.join(', ') ?? '',
    token: '',
    removeToken: false,
    authScheme: server?.authScheme ?? 'auto',
    eventsPath: server?.eventsPath ?? '',
    taskUrl: server?.taskUrl ?? '',
    // A new server starts at the default main and the CLI use: five minutes.
    idleRefresh: String(server?.idleRefreshSeconds ?? IDLE_REFRESH_SECONDS.default),
    transport: server?.transport ?? 'sse',
    socketPath: server?.transport === 'ws' ? server.socketPath : '',
  };
}

/** The request for main, or the errors that would make main refuse it outright. */
export function toServerInput(
  form: ServerFormState,
  id: string | undefined,
): { input?: ServerInput; errors: FieldError[] } {
  const idle = Number(form.idleRefresh);
  if (!Number.isInteger(idle) || idle < IDLE_REFRESH_SECONDS.min || idle > IDLE_REFRESH_SECONDS.max) {
    return {
      errors: [
        {
          field: 'idleRefreshSeconds',
          message: `Enter a whole number of seconds from ${IDLE_REFRESH_SECONDS.min} to ${IDLE_REFRESH_SECONDS.max}.`,
        },
      ],
    };
  }
  const token = form.removeToken ? { token: '' } : form.token.trim() !== '' ? { token: form.token } : {};
  return {
    input: {
      ...(id ? { id } : {}),
      name: form.name,
      url: form.url,
      eventsPath: form.eventsPath,
      taskUrl: form.taskUrl,
      channels: parseChannels(form.channels),
      authScheme: form.authScheme,
      idleRefreshSeconds: idle,
      ...(form.transport === 'ws' ? { transport: 'ws' as const, socketPath: form.socketPath } : {}),
      ...token,
    },
    errors: [],
  };
}
