// Decides which redirects the doctor follows and what they mean. A redirect on the stream URL
// is never what Label Studio does itself: it is a proxy sending an unauthenticated client to a
// login page, http → https, another host, or a loop that a cookie-less client never leaves.

import { looksLikeLoginUrl } from '../text/html-page.ts';
import type { DoctorCheck } from './doctor-report.ts';
import type { ExchangeContext, ExchangeOutcome, RedirectHop } from './exchange-outcome.ts';

export const MAX_REDIRECTS = 5;

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export type RedirectDecision =
  | { kind: 'follow'; url: URL }
  | { kind: 'loop'; url: URL }
  | { kind: 'too-many'; url: URL }
  | { kind: 'bad-location'; location: string };

/**
 * Decides about the `count`-th redirect (1-based) from `current` to `location`, given the URLs
 * already requested.
 */
export function decideRedirect(
  current: URL,
  location: string,
  visited: ReadonlySet<string>,
  count: number,
): RedirectDecision {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return { kind: 'bad-location', location };
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return { kind: 'bad-location', location };
  next.hash = '';
  if (visited.has(next.href)) return { kind: 'loop', url: next };
  if (count > MAX_REDIRECTS) return { kind: 'too-many', url: next };
  return { kind: 'follow', url: next };
}

function chain(hops: RedirectHop[]): string {
  const first = hops[0];
  if (!first) return '';
  return [first.from, ...hops.map((hop) => `→ ${hop.status} ${hop.location}`)].join('\n');
}

function loginFix(auth: ExchangeContext['auth'], path: string): string {
  if (auth === 'none') {
    return (
      'Give Annotray a token (--token): a Personal Access Token from Label Studio (Account & Settings), or a legacy API token. ' +
      `If a login proxy (oauth2-proxy, Authelia, an SSO gateway) guards the server, also let requests to ${path} that carry an Authorization header through.`
    );
  }
  return (
    `The token did not get through: a login proxy or a login-only view answers before Label Studio checks the token. ` +
    `Exempt ${path} from the proxy's login (or let it pass requests that carry an Authorization header), ` +
    'and make sure the events view accepts token authentication.'
  );
}

/** Where the events-path template's fixed part ends: `/api/notifications/events/`. */
export function eventsPrefix(template: string): string {
  return template.split('{channel}')[0] ?? template;
}

export function redirectsCheck(outcome: ExchangeOutcome, context: ExchangeContext): DoctorCheck {
  const hops = outcome.hops;
  const path = eventsPrefix(context.eventsPath);
  if (outcome.kind === 'redirect-loop') {
    return {
      id: 'redirects',
      status: 'fail',
      title: 'Redirects: a redirect loop',
      detail:
        `${chain(hops)}\nThe last redirect leads back to a URL already visited, so a client never reaches the stream. ` +
        'A login proxy that sets a cookie and sends the client back loops like this for clients without cookies (Annotray keeps none).',
      fix:
        `Find what redirects ${path} (usually an authentication proxy or an http/https or trailing-slash rule that contradicts another one) ` +
        `and exempt the events path from it; if a login proxy causes it, let requests with an Authorization header through.`,
    };
  }
  if (outcome.kind === 'too-many-redirects') {
    return {
      id: 'redirects',
      status: 'fail',
      title: `Redirects: more than ${MAX_REDIRECTS} redirects, stopped`,
      detail: chain(hops),
      fix: 'Point the server URL at the address the chain ends at, or remove the redirects for the events path on the proxy.',
    };
  }
  if (outcome.kind === 'bad-redirect') {
    return {
      id: 'redirects',
      status: 'fail',
      title: 'Redirects: a redirect to something that is not a web address',
      detail: `${chain(hops)}\nLocation: ${outcome.location}`,
      fix: 'Fix the redirect rule on the server or proxy, or point the server URL at the real address.',
    };
  }
  if (hops.length === 0) {
    return { id: 'redirects', status: 'ok', title: 'Redirects: none', detail: '' };
  }

  const login = hops.find((hop) => looksLikeLoginUrl(hop.location));
  if (login) {
    return {
      id: 'redirects',
      status: 'fail',
      title: 'Redirects: sent to a login page: authentication is missing',
      detail:
        `${chain(hops)}\nThe request was sent ${
          context.auth === 'none' ? 'without a token' : 'with a token'
        } and was redirected to ${login.location}. Label Studio's API answers a bad token with 401, ` +
        'so a redirect to a login page comes from a login proxy in front of it or a view that only accepts a browser session.',
      fix: loginFix(context.auth, path),
    };
  }

  const start = new URL(context.streamUrl);
  const notes: string[] = [];
  const fixes: string[] = [];
  for (const hop of hops) {
    const from = new URL(hop.from);
    const to = new URL(hop.location);
    if (from.protocol === 'http:' && to.protocol === 'https:' && from.host === to.host) {
      notes.push(
        `${from.origin} redirects to https.${context.auth === 'none' ? '' : ' The token was sent unencrypted before the redirect.'}`,
      );
      fixes.push(`Use ${to.origin} as the server URL.`);
    } else if (from.origin !== to.origin) {
      notes.push(
        `${from.origin} redirects to another origin, ${to.origin}. Annotray, like a browser, does not send the token to another origin.`,
      );
      fixes.push(`Use ${to.origin} as the server URL.`);
    } else if (to.pathname === `${from.pathname}/` && from.href === start.href) {
      notes.push(`The server adds a trailing slash to ${from.pathname}.`);
      fixes.push(`Set the events path to ${context.eventsPath}/ so the first request reaches the stream.`);
    } else {
      notes.push(`${from.pathname} is redirected to ${to.pathname}.`);
      fixes.push(
        'Point the server URL and events path at where the redirect ends, so no redirect is needed.',
      );
    }
  }
  return {
    id: 'redirects',
    status: 'warn',
    title: `Redirects: ${hops.length} redirect${hops.length === 1 ? '' : 's'} before the stream`,
    detail: `${chain(hops)}\n${notes.join('\n')}\nEvery reconnect pays for the extra round trips.`,
    fix: [...new Set(fixes)].join(' '),
  };
}
