// The window's session grants nothing a notification list never needs: every permission
// request (camera, notifications, geolocation, …) is refused and logged, every permission
// check and device permission answers no. It serves the renderer over app:// with the
// window's CSP (serve-app-asset.ts), and in development puts the same CSP, widened for
// Vite, on the dev server's pages as a header.

import type {
  HeadersReceivedResponse,
  OnHeadersReceivedListenerDetails,
  Protocol,
  Session,
  WebRequestFilter,
} from 'electron';
import type { Logger } from '../../engine/ports.ts';
import { APP_SCHEME, contentSecurityPolicy } from './app-protocol.ts';
import { serveAppAsset } from './serve-app-asset.ts';

type HeadersListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void,
) => void;

/** The parts of Electron's Session hardened here. */
export type HardenedSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> & {
  readonly protocol: Pick<Protocol, 'handle'>;
  readonly webRequest: { onHeadersReceived(filter: WebRequestFilter, listener: HeadersListener): void };
};

export interface SessionHardeningOptions {
  /** The renderer build that app:// serves. */
  readonly rendererDir: string;
  /** The Vite dev server's origin, in development only. */
  readonly devServerOrigin: string | undefined;
  readonly logger: Logger;
}

export function hardenSession(target: HardenedSession, options: SessionHardeningOptions): void {
  const { rendererDir, devServerOrigin, logger } = options;
  target.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.log('warn', 'denied a permission request from the window', { permission });
    callback(false);
  });
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
  const csp = contentSecurityPolicy(devServerOrigin);
  target.protocol.handle(APP_SCHEME, async (request) => serveAppAsset(request, rendererDir, csp));
  if (devServerOrigin) {
    target.webRequest.onHeadersReceived({ urls: [`${devServerOrigin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
  }
}
