/**
 * Reading printed badges back: Debian's tesseract (and its language packs) run as a child process on a picture of
 * what the virtual printer printed. For tests: a name is only "printed" if OCR can read it off the dots.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { createBitmap, type Bitmap } from '../../core/badge/bitmap';

const run = promisify(execFile);

/** The rows [y0, y1) of a bitmap. */
export function cropRows(bmp: Bitmap, y0: number, y1: number): Bitmap {
  const a = Math.max(0, Math.floor(y0));
  const b = Math.min(bmp.height, Math.ceil(y1));
  const out = createBitmap(bmp.width, Math.max(1, b - a));
  out.data.set(bmp.data.subarray(a * bmp.width, b * bmp.width));
  return out;
}

/**
 * 8-bit grey PNG at 1/`scale` of the printer's resolution, with a white border. A badge name is ~130 dots tall at
 * 203 dpi, far above the text heights tesseract is trained on; half size reads as a 100 dpi scan does, while small
 * print reads better at full size. Text touching the picture's edge reads badly, hence the border.
 */
function png(bmp: Bitmap, scale: 1 | 2, border = 20): Buffer {
  const sw = Math.floor(bmp.width / scale);
  const sh = Math.floor(bmp.height / scale);
  const w = sw + 2 * border;
  const h = sh + 2 * border;
  const img = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const grey = Buffer.alloc(w * h, 255);
  const at = (x: number, y: number) => bmp.data[y * bmp.width + x]!;
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      // At half size, two of the four dots inked is ink.
      const ink =
        scale === 1
          ? at(x, y) === 1
          : at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1) >= 2;
      if (ink) grey[(y + border) * w + x + border] = 0;
    }
  }
  img.data = grey;
  return PNG.sync.write(img, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

/**
 * Bands (rows inked from edge to edge, like a ticket band: text never reaches the paper's edge) turned to black on
 * white, as a reader's eye does.
 */
function unbanded(bmp: Bitmap): Bitmap {
  const out = createBitmap(bmp.width, bmp.height);
  const edge = Math.min(4, bmp.width >> 1);
  for (let y = 0; y < bmp.height; y++) {
    const row = bmp.data.subarray(y * bmp.width, (y + 1) * bmp.width);
    const inked = row.subarray(0, edge).every((v) => v === 1) && row.subarray(bmp.width - edge).every((v) => v === 1);
    for (let x = 0; x < bmp.width; x++) out.data[y * bmp.width + x] = inked ? 1 - row[x]! : row[x]!;
  }
  return out;
}

/**
 * Text tesseract reads in the picture, with the given language packs ("kor", "chi_sim", "ara+eng", ...): what it
 * reads at half size, then "|", then what it reads at full size (a person reads both the big name and small print).
 * White text on black bands is read too.
 */
export async function ocr(picture: Bitmap, langs: string): Promise<string> {
  const bmp = unbanded(picture);
  const dir = mkdtempSync(join(tmpdir(), 'lanyard-ocr-'));
  try {
    const reads: string[] = [];
    for (const scale of [2, 1] as const) {
      const file = join(dir, `badge-${scale}.png`);
      writeFileSync(file, png(bmp, scale));
      // --psm 11, sparse text: a badge is a few lines of very different sizes, not a page. One thread: tests run side by side.
      const { stdout } = await run('tesseract', [file, 'stdout', '-l', langs, '--psm', '11'], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        timeout: 60_000,
      });
      reads.push(stdout.normalize('NFC'));
    }
    return reads.join('\n|\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text without whitespace, for comparing what was read with what was meant (CJK names have no spaces anyway). */
export const squeeze = (s: string): string => s.normalize('NFC').replace(/\s+/g, '');
