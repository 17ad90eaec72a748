// The doctor's first step: are the settings usable at all (a URL, an events path with
// {channel}, a token that can go into a header), said before anything touches the network.

import { type AuthConfig, configuredToken } from '../connection/auth.ts';
import {
  buildEventsUrl,
  DEFAULT_EVENTS_PATH,
  parseServerUrl,
  SettingsError,
} from '../connection/endpoint.ts';
import type { DoctorOptions } from './doctor.ts';
import type { DoctorCheck } from './doctor-report.ts';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '::1';
}

/** Visible ASCII only: anything else cannot go into an HTTP header and is a paste accident. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

function describeAuth(auth: AuthConfig): string {
  switch (auth.scheme) {
    case 'none':
      return 'none';
    case 'token':
      return 'legacy API token';
    case 'bearer':
      return 'Bearer token';
    case 'pat':
      return 'Personal Access Token';
  }
}

export function checkSettings(
  options: DoctorOptions,
  eventsPath: string,
  auth: AuthConfig,
  waitMs: number,
): { check: DoctorCheck; server?: URL; url?: URL } {
  const fail = (title: string, detail: string, fix: string): { check: DoctorCheck } => ({
    check: { id: 'settings', status: 'fail', title: `Settings: ${title}`, detail, fix },
  });
  let server: URL;
  let url: URL;
  try {
    server = parseServerUrl(options.server);
    url = buildEventsUrl(server, options.channel, eventsPath);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return fail(
      'invalid',
      error.message,
      `Correct the server URL (like https://label-studio.example.com), the channel (like user_42) or the events path (default ${DEFAULT_EVENTS_PATH}).`,
    );
  }
  const secret = configuredToken(auth);
  if (secret !== undefined && !HEADER_SAFE.test(secret)) {
    return fail(
      'the token cannot be sent',
      'The token contains spaces, line breaks or non-ASCII characters, which an HTTP header cannot carry.',
      'Copy the token again from Label Studio (Account & Settings) and paste only the token itself.',
    );
  }
  if (!Number.isFinite(waitMs) || waitMs <= 0) {
    return fail(
      'invalid wait time',
      `The wait time must be a positive number of milliseconds (got ${waitMs}).`,
      'Pass a positive wait time.',
    );
  }
  return {
    server,
    url,
    check: {
      id: 'settings',
      status: 'ok',
      title: 'Settings: the stream URL is valid',
      detail:
        `Stream URL: ${url.href}\nEvents path: ${eventsPath}${eventsPath === DEFAULT_EVENTS_PATH ? ' (default)' : ''}\n` +
        `Token: ${describeAuth(auth)}`,
    },
  };
}
