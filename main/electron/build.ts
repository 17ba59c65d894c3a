/**
 * Bundles the desktop app for Electron: dist/electron/main.mjs (the shell), station-host.mjs (the station's utility
 * process) and preload.cjs (one file with no imports but `electron`, as a sandboxed preload must be). npm packages
 * stay external (node_modules beside the app); `core/` and `main/` are bundled. The renderer is built by Vite.
 *
 *   npm run build:main
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function buildElectron(outdir = `${root}dist/electron`): Promise<string[]> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning' as const,
    absWorkingDir: root,
  };
  await build({
    ...common,
    entryPoints: { main: 'main/electron/main.ts', 'station-host': 'main/electron/station-host.ts' },
    outdir,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    packages: 'external',
  });
  await build({
    ...common,
    entryPoints: { preload: 'preload/index.ts' },
    outdir,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    minify: true,
  });
  return ['main.mjs', 'station-host.mjs', 'preload.cjs'].map((f) => `${outdir}/${f}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await buildElectron()) console.log(`built ${f}`);
}
