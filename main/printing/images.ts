/**
 * Logos on badges: the conference's own (from the conference file, a data: URI) and template assets
 * (assets/badge-templates/*.png). Decoded by Skia (PNG, JPEG, WebP, SVG), put on white, scaled to the size the
 * layout gives them and dithered (Atkinson) to 1 bit once: a thermal head has no grey, and dithering keeps a
 * coloured logo's shapes where a plain threshold would lose its light colours.
 */
import { createCanvas, Image } from './skia';
import { createBitmap, type Bitmap } from '../../core/badge/bitmap';
import type { ImageRef } from '../../core/badge/layout';

export interface BadgeImages {
  size(ref: ImageRef): { width: number; height: number } | null;
  /** The image at exactly width × height dots, 1 bit; null when it is missing or unreadable. */
  bitmap(ref: ImageRef, width: number, height: number): Bitmap | null;
}

const decoded = new Map<string, Image | null>();

/** Decodes an image once per source (a conference's logo is the same on every badge). */
export function decodeImage(key: string, bytes: () => Buffer | null): Image | null {
  if (decoded.has(key)) return decoded.get(key)!;
  let img: Image | null = null;
  const buf = bytes();
  if (buf && buf.length > 0) {
    const candidate = new Image();
    try {
      candidate.src = buf;
      if (candidate.complete && candidate.width > 0 && candidate.height > 0) img = candidate;
    } catch {
      img = null;
    }
  }
  if (decoded.size > 64) decoded.clear();
  decoded.set(key, img);
  return img;
}

/** The bytes of a `data:image/...;base64,` URI, or null. */
export function dataUriBytes(uri: string): Buffer | null {
  const m = /^data:image\/(png|jpeg|webp|svg\+xml);base64,([A-Za-z0-9+/=\s]+)$/.exec(uri);
  return m ? Buffer.from(m[2]!, 'base64') : null;
}

const dithered = new Map<string, Bitmap | null>();

export function badgeImages(sources: {
  conferenceLogo: string | null;
  asset(name: string): Buffer | null;
}): BadgeImages {
  const image = (ref: ImageRef): { key: string; img: Image | null } => {
    if (ref.kind === 'conference') {
      const uri = sources.conferenceLogo;
      // The data URI itself is the key: a re-imported logo is a new image.
      const key = `conference:${uri ?? ''}`;
      return { key, img: uri ? decodeImage(key, () => dataUriBytes(uri)) : null };
    }
    const key = `asset:${ref.name}`;
    return { key, img: decodeImage(key, () => sources.asset(ref.name)) };
  };
  return {
    size(ref) {
      const { img } = image(ref);
      return img ? { width: img.width, height: img.height } : null;
    },
    bitmap(ref, width, height) {
      const { key, img } = image(ref);
      if (!img) return null;
      const k = `${key}@${width}x${height}`;
      if (!dithered.has(k)) {
        if (dithered.size > 64) dithered.clear();
        dithered.set(k, dither(img, width, height));
      }
      return dithered.get(k)!;
    },
  };
}

/** Atkinson dithering of the image drawn on white at width × height. */
function dither(img: Image, width: number, height: number): Bitmap {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(img, 0, 0, width, height);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++)
    gray[i] = 0.2126 * rgba[i * 4]! + 0.7152 * rgba[i * 4 + 1]! + 0.0722 * rgba[i * 4 + 2]!;
  const out = createBitmap(width, height);
  const spread = (x: number, y: number, e: number) => {
    if (x >= 0 && x < width && y < height) gray[y * width + x]! += e;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const ink = gray[i]! < 128;
      out.data[i] = ink ? 1 : 0;
      const e = (gray[i]! - (ink ? 0 : 255)) / 8;
      spread(x + 1, y, e);
      spread(x + 2, y, e);
      spread(x - 1, y + 1, e);
      spread(x, y + 1, e);
      spread(x + 1, y + 1, e);
      spread(x, y + 2, e);
    }
  }
  return out;
}
