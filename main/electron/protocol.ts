/**
 * The app's pages come from `app://lanyard/…`, served from the built renderer (renderer/dist) with the CSP on every
 * response. Paths are confined to that folder; anything else is a 404.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY, isAppUrl } from './security';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function appFile(root: string, rawUrl: string): string | null {
  if (!isAppUrl(rawUrl)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(rawUrl).pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

export function serveApp(root: string): (request: { url: string }) => Promise<Response> {
  return async (request) => {
    const file = appFile(root, request.url);
    const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };
    if (!file) return new Response('not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      return new Response('not found', { status: 404, headers });
    }
  };
}
