// Reading a JWT's claims without verifying them: the server verifies; Annotray only needs to
// know what a pasted token is (a refresh token goes through the PAT exchange, any other JWT is
// sent as Bearer) and when an access token expires (the doctor warns). One reader for both.

/** The claims of a JWT (`header.claims.signature`, claims a JSON object), or undefined. */
export function jwtClaims(token: string): Readonly<Record<string, unknown>> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** When a JWT expires, in epoch ms (its `exp` claim is in seconds), or undefined. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1_000 : undefined;
}
