// The doctor's authentication step and its judgements: a JWT access token that will expire,
// a Personal Access Token exchanged for an access token (or why the exchange failed).

import { type AuthConfig, AuthError, Authorizer, tokenRefreshUrl } from '../connection/auth.ts';
import { jwtExpiresAt } from '../connection/jwt.ts';
import { formatDuration } from '../format/duration.ts';
import type { DoctorCheck } from './doctor-report.ts';

const PAT_FIX =
  'Create a new Personal Access Token in Label Studio (Account & Settings → Personal Access Token) and use it.';

export interface AuthenticateOptions {
  readonly waitMs: number;
  readonly signal: AbortSignal | undefined;
  /** The wall clock, to tell whether a JWT has expired. */
  readonly now: () => number;
}

export async function authenticate(
  server: URL,
  auth: AuthConfig,
  { waitMs, signal, now }: AuthenticateOptions,
): Promise<{ check: DoctorCheck; header?: string }> {
  switch (auth.scheme) {
    case 'none':
      return {
        check: {
          id: 'auth',
          status: 'skip',
          title: 'Authentication: no token',
          detail:
            "The request is sent without a token. Label Studio's API needs one: a 401, a 403 or a login page below means it is missing.",
        },
      };
    case 'token':
      return {
        header: `Token ${auth.token}`,
        check: {
          id: 'auth',
          status: 'ok',
          title: 'Authentication: legacy API token (Authorization: Token …)',
          detail: '',
        },
      };
    case 'bearer': {
      const header = `Bearer ${auth.token}`;
      const expiry = jwtExpiresAt(auth.token);
      if (expiry === undefined) {
        return {
          header,
          check: { id: 'auth', status: 'ok', title: 'Authentication: Bearer token', detail: '' },
        };
      }
      const when = new Date(expiry).toISOString();
      const fix =
        'Give Annotray the Personal Access Token itself (the refresh token from Account & Settings): it exchanges it for ' +
        'short-lived access tokens on its own.';
      if (expiry <= now()) {
        return {
          check: {
            id: 'auth',
            status: 'fail',
            title: `Authentication: the Bearer token expired at ${when}`,
            detail: 'The token is a JWT access token, and it has expired: the server will refuse it.',
            fix,
          },
        };
      }
      return {
        header,
        check: {
          id: 'auth',
          status: 'warn',
          title: `Authentication: a JWT access token that expires at ${when}`,
          detail:
            'Access tokens live for minutes; Annotray cannot renew one, so the stream fails once it expires.',
          fix,
        },
      };
    }
    case 'pat': {
      const step = AbortSignal.any([AbortSignal.timeout(waitMs), ...(signal ? [signal] : [])]);
      const authorizer = new Authorizer(server, auth, (input, init) =>
        fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, step]) : step }),
      );
      const started = performance.now();
      try {
        const header = await authorizer.header();
        return {
          header,
          check: {
            id: 'auth',
            status: 'ok',
            title: `Authentication: exchanged the Personal Access Token for an access token in ${formatDuration(performance.now() - started)}`,
            detail: '',
          },
        };
      } catch (error) {
        signal?.throwIfAborted();
        return { check: patFailure(error, tokenRefreshUrl(server, auth.refreshPath).pathname, waitMs) };
      }
    }
  }
}

function patFailure(error: unknown, path: string, waitMs: number): DoctorCheck {
  const status = error instanceof AuthError ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 401 || status === 403) {
    return {
      id: 'auth',
      status: 'fail',
      title: 'Authentication: the server refused the Personal Access Token',
      detail: message,
      fix: PAT_FIX,
    };
  }
  if (status === 404 || status === 405) {
    return {
      id: 'auth',
      status: 'fail',
      title: `Authentication: no token exchange at ${path}`,
      detail: `${message}. This Label Studio version may not support Personal Access Tokens.`,
      fix: 'Use the legacy API token from Account & Settings instead, or upgrade Label Studio.',
    };
  }
  const timedOut = /timeout|aborted/i.test(message);
  return {
    id: 'auth',
    status: 'fail',
    title: timedOut
      ? `Authentication: the token exchange did not answer within ${formatDuration(waitMs)}`
      : 'Authentication: exchanging the Personal Access Token failed',
    detail: message,
    fix: `Check that ${path} on the server answers (it exchanges the Personal Access Token for an access token); the server log says why it failed.`,
  };
}
