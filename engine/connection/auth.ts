// How a request proves who the annotator is. Label Studio accepts legacy API tokens
// (`Authorization: Token <key>`) and Personal Access Tokens: JWT refresh tokens that are
// exchanged at /api/token/refresh/ for short-lived access tokens sent as `Bearer`.

import { jwtClaims } from './jwt.ts';

export const AUTH_SCHEMES = ['token', 'bearer', 'pat'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export type AuthConfig =
  | { readonly scheme: 'none' }
  | { readonly scheme: 'token'; readonly token: string }
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'pat'; readonly refreshToken: string; readonly refreshPath?: string };

export const DEFAULT_REFRESH_PATH = '/api/token/refresh/';

/** The token a person configured, whatever its scheme; undefined without one. */
export function configuredToken(auth: AuthConfig): string | undefined {
  return auth.scheme === 'none' ? undefined : auth.scheme === 'pat' ? auth.refreshToken : auth.token;
}

/** Where a Personal Access Token is exchanged, below the server URL (which may have a path). */
export function tokenRefreshUrl(server: URL, refreshPath: string = DEFAULT_REFRESH_PATH): URL {
  return new URL(server.href.replace(/\/+$/, '') + refreshPath);
}

/**
 * Builds the auth config from a token as a person pastes it. `auto` sends a JWT refresh token
 * through the PAT exchange, any other JWT as `Bearer`, and everything else as a legacy `Token`.
 */
export function authFromToken(token: string | undefined, scheme: AuthScheme | 'auto' = 'auto'): AuthConfig {
  const value = token?.trim().replace(/^(Token|Bearer)\s+/i, '');
  if (!value) return { scheme: 'none' };
  if (scheme === 'token') return { scheme: 'token', token: value };
  if (scheme === 'bearer') return { scheme: 'bearer', token: value };
  if (scheme === 'pat') return { scheme: 'pat', refreshToken: value };
  const payload = jwtClaims(value);
  if (!payload) return { scheme: 'token', token: value };
  return payload.token_type === 'refresh'
    ? { scheme: 'pat', refreshToken: value }
    : { scheme: 'bearer', token: value };
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Produces the Authorization header for requests to one server, exchanging and caching the PAT
 * access token. `invalidate()` after a 401 makes the next call fetch a fresh access token.
 */
export class Authorizer {
  #access: Promise<string> | undefined;
  readonly #server: URL;
  readonly #fetch: FetchLike;
  readonly config: AuthConfig;

  constructor(server: URL, config: AuthConfig, fetchImpl: FetchLike = fetch) {
    this.#server = server;
    this.config = config;
    this.#fetch = fetchImpl;
  }

  async header(): Promise<string | undefined> {
    switch (this.config.scheme) {
      case 'none':
        return undefined;
      case 'token':
        return `Token ${this.config.token}`;
      case 'bearer':
        return `Bearer ${this.config.token}`;
      case 'pat': {
        this.#access ??= this.#exchange(
          this.config.refreshToken,
          tokenRefreshUrl(this.#server, this.config.refreshPath),
        );
        try {
          return `Bearer ${await this.#access}`;
        } catch (error) {
          this.#access = undefined;
          throw error;
        }
      }
    }
  }

  /** True when a 401 may be cured by fetching a new access token (PAT only). */
  get canRefresh(): boolean {
    return this.config.scheme === 'pat';
  }

  invalidate(): void {
    this.#access = undefined;
  }

  async #exchange(refresh: string, url: URL): Promise<string> {
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ refresh }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new AuthError(
        `could not reach ${url.origin} to exchange the personal access token: ${String(error)}`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new AuthError(
        `the server refused the personal access token (HTTP ${response.status}): it is wrong, expired or revoked`,
        response.status,
      );
    }
    if (!response.ok) {
      throw new AuthError(
        `exchanging the personal access token failed: HTTP ${response.status} from ${url.pathname}`,
        response.status,
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    const access = body && typeof body === 'object' ? (body as { access?: unknown }).access : undefined;
    if (typeof access !== 'string' || access.length === 0) {
      throw new AuthError(`the token exchange at ${url.pathname} answered without an access token`);
    }
    return access;
  }
}
