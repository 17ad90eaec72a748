// Turns what an admin typed (server URL, events-path template, channel name) into the exact
// URL of one channel's event stream, refusing anything that would not be a plain http(s)
// request to that server.

export const DEFAULT_EVENTS_PATH = '/api/notifications/events/{channel}';

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** C0 controls and DEL: never valid in a URL path or a channel name. */
function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Parses a server URL; the result never has a trailing slash, a query, a hash or credentials. */
export function parseServerUrl(raw: string): URL {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SettingsError(`"${raw}" is not a URL: write it like https://label-studio.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingsError(`"${raw}" must start with http:// or https:// (got ${url.protocol})`);
  }
  if (url.username || url.password) {
    throw new SettingsError('put the token in the token setting, not in the server URL');
  }
  if (url.search || url.hash) {
    throw new SettingsError(`the server URL must not have a query or fragment: "${raw}"`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** A channel is a name such as `user_42`: non-empty, at most 200 characters, no control characters. */
export function validateChannel(channel: string): string {
  if (channel.length === 0) throw new SettingsError('a channel name cannot be empty');
  if (channel.length > 200) throw new SettingsError(`the channel name is too long (${channel.length} > 200)`);
  if (hasControlChars(channel)) throw new SettingsError('a channel name cannot contain control characters');
  return channel;
}

/** Checks an events-path template: starts with `/`, contains `{channel}` exactly once. */
export function validateEventsPath(template: string): string {
  if (!template.startsWith('/')) {
    throw new SettingsError(`the events path must start with "/" (got "${template}")`);
  }
  const count = template.split('{channel}').length - 1;
  if (count !== 1) {
    throw new SettingsError(`the events path must contain {channel} exactly once (got "${template}")`);
  }
  if (hasControlChars(template) || template.includes('#')) {
    throw new SettingsError(`the events path contains characters a URL path cannot have: "${template}"`);
  }
  return template;
}

/** The stream URL of one channel: server + template with the channel percent-encoded. */
export function buildEventsUrl(server: string | URL, channel: string, template = DEFAULT_EVENTS_PATH): URL {
  const base = typeof server === 'string' ? parseServerUrl(server) : server;
  validateChannel(channel);
  validateEventsPath(template);
  const path = template.replace('{channel}', encodeURIComponent(channel));
  const url = new URL(base.href.replace(/\/+$/, '') + path);
  if (url.origin !== base.origin) {
    throw new SettingsError(`the events path "${template}" leads away from the server ${base.origin}`);
  }
  return url;
}

export const DEFAULT_SOCKET_PATH = '/ws/notifications/';

/**
 * The WebSocket URL of one channel (Django Channels): the server URL with ws(s)://, and a path
 * template that may name the channel (`/ws/notifications/{channel}/`) or not, in which case
 * the server picks the group from the authenticated user and the channel is only a label.
 */
export function buildSocketUrl(server: string | URL, channel: string, template = DEFAULT_SOCKET_PATH): URL {
  const base = typeof server === 'string' ? parseServerUrl(server) : server;
  validateChannel(channel);
  if (!template.startsWith('/'))
    throw new SettingsError(`the socket path must start with "/" (got "${template}")`);
  if (template.split('{channel}').length > 2)
    throw new SettingsError('the socket path may contain {channel} at most once');
  if (hasControlChars(template) || template.includes('#')) {
    throw new SettingsError(`the socket path contains characters a URL path cannot have: "${template}"`);
  }
  const url = new URL(
    base.href.replace(/\/+$/, '') + template.replace('{channel}', encodeURIComponent(channel)),
  );
  if (url.origin !== base.origin)
    throw new SettingsError(`the socket path "${template}" leads away from the server ${base.origin}`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}
