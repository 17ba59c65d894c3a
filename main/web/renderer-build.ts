/**
 * The built renderer the browser mode and the desktop app serve (renderer/dist). Built with Vite when it is missing
 * or older than its sources — so `npm start` works from a fresh clone, and a developer's edit shows up on the next
 * start. Vite is only loaded when a build is needed.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDist = join(repoRoot, 'renderer', 'dist');

function newest(dir: string, skip: (name: string) => boolean): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip(e.name)) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
}

/** True when renderer/dist is missing or older than the renderer's or core's sources. */
export function rendererStale(): boolean {
  const index = join(rendererDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const skip = (n: string) => n === 'dist' || n === 'node_modules' || n.endsWith('.test.ts') || n.endsWith('.test.tsx');
  return Math.max(newest(join(repoRoot, 'renderer'), skip), newest(join(repoRoot, 'core'), skip)) > built;
}

export async function buildRenderer(log: (line: string) => void = () => {}): Promise<void> {
  log('building the screens (renderer/dist)…');
  const vite = await import('vite');
  // Always React's production build, whatever NODE_ENV the caller runs under (a test runner sets "test", and Vite
  // and the React plugin would then build for development).
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({
      configFile: join(repoRoot, 'renderer', 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

export async function ensureRenderer(log: (line: string) => void = () => {}): Promise<string> {
  if (rendererStale()) await buildRenderer(log);
  return rendererDist;
}
