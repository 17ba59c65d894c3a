/**
 * `npm run pack`, step 3 of 4: stages the app that electron-builder packs (its `directories.app`).
 *
 * electron-builder rebuilds native modules (better-sqlite3) for Electron's ABI in the app directory it packs. With a
 * single package.json that directory is the development tree, which would leave tests, the CLI and HQ unable to
 * open a database afterwards. So the app is staged in `.pack/app` — the "two package.json" structure electron-builder
 * documents — and the rebuild happens there:
 *
 *   .pack/app/package.json   name, version, main, type and the production dependencies at their installed versions
 *   .pack/app/dist/electron/ the Electron main process and preload (`npm run build:main`; package.json `main` points in)
 *   .pack/app/renderer/dist/ the renderer (`npm run build:renderer`)
 *   .pack/app/assets/        badge templates, fonts, the demo conference (not the icon sources)
 *   .pack/app/node_modules/  the production dependency tree as `npm ls --omit=dev` resolves it, copied from the
 *                            development tree (the versions the tests ran against), better-sqlite3 without its
 *                            Node-ABI build so that the packed binary can only be the one rebuilt for Electron
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const electronBuildDir = 'dist/electron';
export const rendererBuildDir = 'renderer/dist';

export interface StageResult {
  out: string;
  main: string;
  dependencies: Record<string, string>;
  packages: number;
}

export class StageError extends Error {}

interface RootPackage {
  name: string;
  version: string;
  description?: string;
  type?: string;
  main?: string;
  dependencies?: Record<string, string>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Package directories of the production dependency closure, as npm resolves it (nested copies included). */
export function productionPackages(root: string): string[] {
  let out: string;
  try {
    out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32', // npm is npm.cmd there
      // Run under `npm run`, the npm_* variables of the outer npm (its prefix among them) would point this one elsewhere.
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '')
      .split('\n')
      .slice(0, 5)
      .join('\n');
    throw new StageError(`npm ls found problems in node_modules (run \`npm ci\` for a release build):\n${stderr}`);
  }
  const modules = join(resolve(root), 'node_modules') + sep;
  return out
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith(modules));
}

/**
 * `root` holds package.json and the builds; `installed` (default: `root`) the node_modules to copy from — the same
 * directory in `npm run pack`, another one only in tests.
 */
export function stageApp(opts: { root: string; out: string; installed?: string }): StageResult {
  const root = resolve(opts.root);
  const installedRoot = resolve(opts.installed ?? opts.root);
  const out = resolve(opts.root, opts.out);
  const pkg = readJson<RootPackage>(join(root, 'package.json'));

  // What the builds must have produced. Checked before anything is deleted or copied.
  if (!pkg.main)
    throw new StageError(
      `package.json has no "main": \`npm run build:main\` builds the Electron entry into ${electronBuildDir}/ and "main" names it`,
    );
  const main = pkg.main.replaceAll('\\', '/');
  if (!main.startsWith(`${electronBuildDir}/`))
    throw new StageError(
      `package.json "main" is ${main}: the packed app's entry must be built into ${electronBuildDir}/`,
    );
  if (!existsSync(join(root, main))) throw new StageError(`${main} is missing: run \`npm run build:main\` first`);
  if (!existsSync(join(root, rendererBuildDir, 'index.html')))
    throw new StageError(`${rendererBuildDir}/index.html is missing: run \`npm run build:renderer\` first`);

  const packages = productionPackages(installedRoot);
  const installed = (dir: string) => readJson<{ version: string }>(join(dir, 'package.json')).version;
  const dependencies: Record<string, string> = {};
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    const dir = join(installedRoot, 'node_modules', name);
    if (!existsSync(join(dir, 'package.json')))
      throw new StageError(`dependency ${name} is not installed: run \`npm ci\` first`);
    dependencies[name] = installed(dir); // exact: what the tests ran against
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const staged: RootPackage & { productName: string; private: true } = {
    name: pkg.name,
    productName: 'Lanyard',
    version: pkg.version,
    private: true,
    ...(pkg.description ? { description: pkg.description } : {}),
    ...(pkg.type ? { type: pkg.type } : {}),
    main,
    dependencies,
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);

  cpSync(join(root, electronBuildDir), join(out, electronBuildDir), { recursive: true });
  cpSync(join(root, rendererBuildDir), join(out, rendererBuildDir), { recursive: true });
  const iconSources = join(root, 'assets', 'icon');
  cpSync(join(root, 'assets'), join(out, 'assets'), {
    recursive: true,
    filter: (src) => src !== iconSources && basename(src) !== 'README.md',
  });

  for (const dir of packages) {
    const rel = relative(installedRoot, dir);
    cpSync(dir, join(out, rel), {
      recursive: true,
      dereference: true,
      filter: (src) => {
        const inner = relative(dir, src);
        const first = inner.split(sep)[0];
        // Nested node_modules come in as their own entries of the list (only the production ones).
        if (first === 'node_modules') return false;
        // better-sqlite3's binary is built for Node here; electron-builder rebuilds it for Electron in the copy.
        if (basename(dir) === 'better-sqlite3' && first === 'build') return false;
        return true;
      },
    });
  }
  if (!existsSync(join(out, 'node_modules', 'better-sqlite3', 'package.json')))
    throw new StageError('better-sqlite3 is not among the production dependencies');
  return { out, main, dependencies, packages: packages.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  try {
    const r = stageApp({ root, out: '.pack/app' });
    console.log(`staged ${relative(root, r.out)}: entry ${r.main}, ${r.packages} production packages`);
  } catch (e) {
    console.error(`pack: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
