// The answer to one `app://annotray/…` request: the renderer build's file with its fixed MIME
// type, the window's Content-Security-Policy and nosniff, or a bare status. Which file a URL
// stands for, and whether it may be served at all, is resolveAppAsset's (app-protocol.ts).

import { readFileSync } from 'node:fs';
import { resolveAppAsset } from './app-protocol.ts';

export function serveAppAsset(request: { readonly url: string }, rendererDir: string, csp: string): Response {
  const asset = resolveAppAsset(rendererDir, request.url);
  if (!asset.ok) return new Response(null, { status: asset.status });
  try {
    const body = readFileSync(asset.path);
    return new Response(body, {
      headers: {
        'content-type': asset.mime,
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    // Missing, a folder, or unreadable: to the page it is simply not there.
    return new Response(null, { status: 404 });
  }
}
