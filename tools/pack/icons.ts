/**
 * `npm run -s icons`: renders assets/icon/lanyard.svg into the PNG set (Linux, and the window icon) and icon.ico
 * (Windows, NSIS) that electron-builder.yml points at. The SVG is the source; the rendered files are committed so
 * packing needs no rasteriser, and a test re-renders them to catch an SVG edited without `npm run -s icons`.
 * resvg (Rust, prebuilt per platform from the npm registry) renders without system fonts: the icon has no text.
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { encodeIco } from './ico';

export const iconDir = fileURLToPath(new URL('../../assets/icon/', import.meta.url));
/** Linux icon theme sizes (electron-builder reads the size from each file name). */
export const pngSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** What Windows picks from for the taskbar, the title bar, Explorer's views and the installer. */
export const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;

export function renderPng(svg: string, size: number): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } });
  return Buffer.from(resvg.render().asPng());
}

/** Every generated file, by path relative to assets/icon/. */
export function iconFiles(svg: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const pngs = new Map<number, Buffer>();
  for (const size of pngSizes) {
    const png = renderPng(svg, size);
    pngs.set(size, png);
    files.set(`png/${size}x${size}.png`, png);
  }
  files.set('icon.png', pngs.get(512)!);
  files.set(
    'icon.ico',
    encodeIco(icoSizes.map((size) => ({ size, png: pngs.get(size)!, rgba: PNG.sync.read(pngs.get(size)!).data }))),
  );
  return files;
}

export function readSvg(dir = iconDir): string {
  return readFileSync(join(dir, 'lanyard.svg'), 'utf8');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [rel, bytes] of iconFiles(readSvg())) {
    const path = join(iconDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    console.log(`${rel} ${bytes.length} bytes`);
  }
}
