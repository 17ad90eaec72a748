// The only gate to the default browser: a URL is opened only when it is http(s) and its
// origin is that of a configured server (or the task-link template's origin for it), so an
// event payload can never open `file:`, `javascript:` or another site.

export function allowedOrigins(
  servers: readonly { readonly url: string; readonly taskUrl: string }[],
): Set<string> {
  const origins = new Set<string>();
  for (const server of servers) {
    for (const candidate of [server.url, server.taskUrl.replace('{server}', server.url)]) {
      try {
        const url = new URL(candidate.replace(/\{[a-z_]+\}/g, '1'));
        if (url.protocol === 'http:' || url.protocol === 'https:') origins.add(url.origin);
      } catch {
        // Not a URL: contributes no origin.
      }
    }
  }
  return origins;
}

export function checkExternalUrl(
  raw: string,
  origins: ReadonlySet<string>,
): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: `${url.protocol} links are never opened` };
  if (url.username || url.password) return { ok: false, reason: 'links with credentials are never opened' };
  if (!origins.has(url.origin)) return { ok: false, reason: `${url.origin} is not a configured server` };
  return { ok: true, url: url.href };
}
