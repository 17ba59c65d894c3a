/**
 * The desktop app's locks (DESIGN §10): a strict Content-Security-Policy on everything the app serves, no
 * navigation away from the app, no new windows, no webviews, and no permission but the camera — for the door's
 * scanner, and only from the app's own page.
 */
import type { Session, WebContents } from 'electron';
import type { StationMode } from '../../core/access';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://lanyard`;

/** Scripts and styles from the app only; no inline script, no eval, no plugins, no framing, no outside connection. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'self' blob:",
].join('; ');

/** True only for the app's own pages (`app://lanyard/...`); anything else — other schemes, hosts, tricks — is foreign. */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === 'lanyard' && url.username === '' && url.password === '';
}

export interface Log {
  (line: string): void;
}

/** Every web contents the app creates gets these guards, before it loads anything. */
export function guardContents(contents: WebContents, log: Log): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log(`blocked navigation to ${url.slice(0, 200)}`);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log(`blocked redirect to ${url.slice(0, 200)}`);
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked a new window for ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}

/**
 * The camera for the door scanner — video only, from the app's main frame — and nothing else, for any mode.
 * (Permission checks and requests both go through here.)
 */
export function permissionAllowed(
  mode: StationMode,
  permission: string,
  details: {
    requestingUrl?: string;
    isMainFrame?: boolean;
    mediaTypes?: ('video' | 'audio')[];
    securityOrigin?: string;
  },
): boolean {
  if (mode !== 'door' || permission !== 'media') return false;
  if (details.isMainFrame === false) return false;
  const from = details.requestingUrl ?? details.securityOrigin ?? '';
  if (!isAppUrl(from) && from !== APP_ORIGIN) return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

export function guardSession(session: Session, mode: StationMode, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const ok = permissionAllowed(mode, permission, details as Parameters<typeof permissionAllowed>[2]);
    if (!ok) log(`denied permission "${permission}"`);
    callback(ok);
  });
  session.setPermissionCheckHandler((_contents, permission, origin, details) =>
    permissionAllowed(mode, permission, {
      ...(details as Parameters<typeof permissionAllowed>[2]),
      securityOrigin: origin,
    }),
  );
  // Whatever else a response carries, the app's CSP is on it.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
