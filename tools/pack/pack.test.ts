/**
 * Packaging, checked without packing: the build machines cannot download Electron, so the test reads
 * electron-builder.yml (YAML → object), validates it with electron-builder's own loader and schema, and checks
 * the settings Lanyard depends on; stages an app from a throw-away project; and re-renders the icons.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { icoSizes, iconDir, iconFiles, pngSizes, readSvg } from './icons';
import { stageApp, StageError } from './stage';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configText = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
const config = parse(configText) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main?: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Entries of an .ico: size, whether the image is PNG, and its straight RGBA. */
function readIco(buf: Buffer): { size: number; png: boolean; rgba: Buffer }[] {
  expect(buf.readUInt16LE(0)).toBe(0);
  expect(buf.readUInt16LE(2)).toBe(1);
  const n = buf.readUInt16LE(4);
  const out: { size: number; png: boolean; rgba: Buffer }[] = [];
  for (let i = 0; i < n; i++) {
    const e = 6 + i * 16;
    const size = buf.readUInt8(e) || 256;
    const body = buf.subarray(buf.readUInt32LE(e + 12), buf.readUInt32LE(e + 12) + buf.readUInt32LE(e + 8));
    if (body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      out.push({ size, png: true, rgba: PNG.sync.read(body).data });
      continue;
    }
    expect(body.readUInt32LE(0)).toBe(40);
    expect(body.readInt32LE(4)).toBe(size);
    expect(body.readInt32LE(8)).toBe(size * 2);
    expect(body.readUInt16LE(14)).toBe(32);
    const rgba = Buffer.alloc(size * size * 4);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const s = 40 + ((size - 1 - y) * size + x) * 4;
        const d = (y * size + x) * 4;
        rgba[d] = body[s + 2]!;
        rgba[d + 1] = body[s + 1]!;
        rgba[d + 2] = body[s]!;
        rgba[d + 3] = body[s + 3]!;
      }
    out.push({ size, png: false, rgba });
  }
  return out;
}

describe('electron-builder.yml', () => {
  it("is valid for electron-builder's own loader and schema (a typo would fail here, not on the release machine)", async () => {
    const require = createRequire(import.meta.url);
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig(dir: string, file: string | null, extra: unknown): Promise<Record<string, unknown>>;
      validateConfiguration(c: unknown, log: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await getConfig(root, 'electron-builder.yml', null);
    const { files: _files, ...rest } = config; // electron-builder normalises `files` into its own shape
    expect(loaded).toMatchObject(rest);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is real: an unknown key is refused.
    await expect(validateConfiguration({ ...loaded, asarUnpak: ['x'] }, new DebugLogger(false))).rejects.toThrow(
      /asarUnpak/,
    );
  });

  it('builds NSIS and portable for Windows, AppImage and deb for Linux', () => {
    const targets = (os: string) =>
      (config[os].target as { target: string; arch: string[] }[]).map((t) => `${t.target}:${t.arch.join(',')}`);
    expect(targets('win')).toEqual(['nsis:x64', 'portable:x64']);
    expect(targets('linux')).toEqual(['AppImage:x64', 'deb:x64']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // dpkg refuses a package without one
    expect(config.publish).toBeNull();
  });

  it('packs into asar with better-sqlite3 unpacked, rebuilt for Electron in the staged app only', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
    // The rebuild runs in directories.app: the staged copy, never the development tree.
    expect(config.directories.app).toBe('.pack/app');
    expect(config.directories.app).not.toBe('.');
    // The development tree stays on Node's ABI: no install hook rebuilds native modules for Electron.
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(pkg.scripts[hook] ?? '').not.toMatch(
        /electron-builder|electron-rebuild|@electron\/rebuild|install-app-deps/,
      );
    }
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
    expect(pkg.dependencies['electron-builder']).toBeUndefined();
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
  });

  it('sets the fuses: no RunAsNode, NODE_OPTIONS or --inspect; encrypted cookies; asar only, with integrity', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('takes its icons from assets/ in the formats each platform reads', () => {
    const ico = readIco(readFileSync(join(root, config.win.icon)));
    expect(ico.map((i) => i.size)).toEqual([...icoSizes]);
    expect(ico.find((i) => i.size === 256)?.png).toBe(true);
    const linux = readdirSync(join(root, config.linux.icon));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const file = `${size}x${size}.png`;
      expect(linux).toContain(file);
      const png = PNG.sync.read(readFileSync(join(root, config.linux.icon, file)));
      expect([png.width, png.height]).toEqual([size, size]);
    }
    expect(config.directories.buildResources).toBe('assets/icon');
  });

  it('npm run pack builds the renderer and the main process, stages, then packs', () => {
    const steps = pkg.scripts.pack!.split('&&').map((s) => s.trim());
    expect(steps).toEqual([
      'npm run -s build:renderer',
      'npm run -s build:main',
      'tsx tools/pack/stage.ts',
      'electron-builder --config electron-builder.yml --publish never',
    ]);
  });
});

describe('the committed icons', () => {
  it('are what assets/icon/lanyard.svg renders to (npm run -s icons)', () => {
    const files = iconFiles(readSvg());
    expect([...files.keys()].sort()).toEqual(
      [...pngSizes.map((s) => `png/${s}x${s}.png`), 'icon.ico', 'icon.png'].sort(),
    );
    for (const [rel, bytes] of files) {
      const committed = readFileSync(join(iconDir, rel));
      if (rel.endsWith('.png')) expect(PNG.sync.read(committed).data.equals(PNG.sync.read(bytes).data), rel).toBe(true);
      else expect(committed.equals(bytes), rel).toBe(true);
    }
  });

  it('hold the same pixels in the ICO as in the PNGs, and a visible shape at every size', () => {
    for (const entry of readIco(readFileSync(join(iconDir, 'icon.ico')))) {
      const png = PNG.sync.read(readFileSync(join(iconDir, `png/${entry.size}x${entry.size}.png`)));
      expect(entry.rgba.equals(png.data), `${entry.size} px`).toBe(true);
      let opaque = 0;
      for (let i = 3; i < png.data.length; i += 4) if (png.data[i]! > 200) opaque++;
      // A rounded tile: mostly opaque, transparent corners.
      expect(opaque / (entry.size * entry.size)).toBeGreaterThan(0.7);
      expect(png.data[3]).toBe(0);
    }
  });
});

describe('stageApp', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A throw-away project: this package.json with a main and stand-ins for the builds; node_modules are this tree's. */
  function project(opts: { main?: string | null; renderer?: boolean } = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'lanyard-stage-'));
    dirs.push(dir);
    const p = { ...pkg, main: opts.main === undefined ? 'dist/electron/main.js' : (opts.main ?? undefined) };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(p));
    mkdirSync(join(dir, 'dist/electron'), { recursive: true });
    writeFileSync(join(dir, 'dist/electron/main.js'), 'export {};\n');
    writeFileSync(join(dir, 'dist/electron/preload.cjs'), '\n');
    mkdirSync(join(dir, 'dist/hq'), { recursive: true });
    writeFileSync(join(dir, 'dist/hq/cli.js'), '\n');
    if (opts.renderer !== false) {
      mkdirSync(join(dir, 'renderer/dist/assets'), { recursive: true });
      writeFileSync(join(dir, 'renderer/dist/index.html'), '<!doctype html>\n');
    }
    cpSync(join(root, 'assets'), join(dir, 'assets'), { recursive: true });
    return dir;
  }

  it('stages the built app and the production dependencies, without the Node-ABI better-sqlite3 binary', () => {
    const dir = project();
    const r = stageApp({ root: dir, out: '.pack/app', installed: root });
    const app = join(dir, '.pack/app');
    const staged = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      main: string;
      dependencies: Record<string, string>;
      devDependencies?: unknown;
      scripts?: unknown;
    };
    expect(staged.main).toBe('dist/electron/main.js');
    expect(staged.devDependencies).toBeUndefined();
    expect(staged.scripts).toBeUndefined();
    expect(Object.keys(staged.dependencies).sort()).toEqual(Object.keys(pkg.dependencies).sort());
    const installed = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')) as {
      version: string;
    };
    expect(staged.dependencies['better-sqlite3']).toBe(installed.version);
    expect(r.packages).toBeGreaterThan(Object.keys(pkg.dependencies).length);

    expect(existsSync(join(app, 'dist/electron/main.js'))).toBe(true);
    expect(existsSync(join(app, 'dist/electron/preload.cjs'))).toBe(true);
    expect(existsSync(join(app, 'dist/hq'))).toBe(false); // HQ is not part of the desktop app
    expect(existsSync(join(app, 'renderer/dist/index.html'))).toBe(true);
    expect(existsSync(join(app, 'assets/demo-conference.json'))).toBe(true);
    expect(existsSync(join(app, 'assets/icon'))).toBe(false);

    // Production packages, with their own dependencies; nothing from devDependencies.
    for (const name of Object.keys(pkg.dependencies))
      expect(existsSync(join(app, 'node_modules', name, 'package.json')), name).toBe(true);
    expect(existsSync(join(app, 'node_modules/bindings/package.json'))).toBe(true); // better-sqlite3's own dependency
    for (const dev of ['electron', 'electron-builder', 'vitest', 'typescript', 'tsx', 'esbuild'])
      expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    // Sources to rebuild from, but no binary built for Node's ABI.
    expect(existsSync(join(app, 'node_modules/better-sqlite3/binding.gyp'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/better-sqlite3/build'))).toBe(false);
    // The development tree is untouched.
    expect(existsSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  });

  it('refuses, and changes nothing, when a build is missing', () => {
    for (const [opts, message] of [
      [{ main: null }, /package.json has no "main"/],
      [{ main: 'main/electron/main.ts' }, /must be built into dist\/electron/],
      [{ main: 'dist/electron/absent.js' }, /dist\/electron\/absent.js is missing: run `npm run build:main`/],
      [{ renderer: false }, /renderer\/dist\/index.html is missing: run `npm run build:renderer`/],
    ] as const) {
      const dir = project(opts);
      mkdirSync(join(dir, '.pack/app'), { recursive: true });
      writeFileSync(join(dir, '.pack/app/previous.txt'), 'kept');
      expect(() => stageApp({ root: dir, out: '.pack/app', installed: root })).toThrow(StageError);
      expect(() => stageApp({ root: dir, out: '.pack/app', installed: root })).toThrow(message);
      expect(readdirSync(join(dir, '.pack/app'))).toEqual(['previous.txt']);
    }
  });
});
