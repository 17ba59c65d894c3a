/**
 * An ESC/POS interpreter: what a printer would do with the bytes, as data. Text comes from the text commands
 * (decoded through the selected code page), sizes from `GS !` / `ESC !`, images from `GS v 0`, native QR symbols
 * from `GS ( k`; the result is drawn into a 1-bit picture with the built-in bitmap font.
 *
 * It is also a stream parser (`EscPosParser`): it knows each command's length, so a status request inside a job is
 * recognised at a command boundary and never inside raster data.
 */
import QRCode from 'qrcode';
import { blit, createBitmap, fillRect, type Bitmap } from '../../core/badge/bitmap';
import { CELL_H, CELL_W, drawText } from './bitmap-font';

// ---- code pages ------------------------------------------------------------------------------------------------

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** ESC t n → WHATWG encoding label (TextDecoder), for the pages this interpreter knows. */
const PAGE_LABELS: Record<number, string> = {
  15: 'iso-8859-7',
  16: 'windows-1252',
  17: 'ibm866',
  39: 'iso-8859-2',
  40: 'iso-8859-15',
  45: 'windows-1250',
  46: 'windows-1251',
  47: 'windows-1253',
  48: 'windows-1254',
  49: 'windows-1255',
  50: 'windows-1256',
  51: 'windows-1257',
  52: 'windows-1258',
};
const decoders = new Map<number, TextDecoder>();

export function decodeByte(page: number, b: number): string {
  if (b < 0x80) return String.fromCharCode(b);
  if (page === 0) return CP437_HIGH[b - 0x80] ?? '\ufffd';
  const label = PAGE_LABELS[page];
  if (!label) return '\ufffd';
  let d = decoders.get(page);
  if (!d) decoders.set(page, (d = new TextDecoder(label)));
  return d.decode(Uint8Array.of(b));
}

// ---- the parser ------------------------------------------------------------------------------------------------

export type Command =
  | { kind: 'text'; bytes: number[] }
  | { kind: 'lf' }
  | { kind: 'init' }
  | { kind: 'status'; n: number } // DLE EOT n: answer at once
  | { kind: 'paperStatus'; n: number } // GS r n
  | { kind: 'codePage'; n: number }
  | { kind: 'mode'; n: number } // ESC !
  | { kind: 'size'; n: number } // GS !
  | { kind: 'bold'; on: boolean }
  | { kind: 'invert'; on: boolean }
  | { kind: 'align'; n: number }
  | { kind: 'feedLines'; n: number }
  | { kind: 'feedDots'; n: number }
  | { kind: 'lineSpacing'; n: number | null }
  | { kind: 'cut' }
  | { kind: 'raster'; width: number; height: number; data: Uint8Array; scale: number }
  | { kind: 'qrStore'; data: Uint8Array }
  | { kind: 'qrPrint' }
  | { kind: 'qrSetting'; fn: number; value: number }
  | { kind: 'font'; n: number }
  | { kind: 'other'; name: string };

/** How many bytes a command starting at `i` takes, and what it is; null when more bytes are needed. */
function parseAt(b: Uint8Array, i: number): { len: number; cmd: Command } | null {
  const at = (k: number) => (i + k < b.length ? b[i + k]! : -1);
  const need = (n: number) => i + n <= b.length;
  const c = b[i]!;
  const simple = (len: number, cmd: Command) => (need(len) ? { len, cmd } : null);
  if (c === 0x0a) return { len: 1, cmd: { kind: 'lf' } };
  if (c === 0x10) {
    // DLE EOT n | DLE ENQ n | DLE DC4 fn m t
    const k = at(1);
    if (k === -1) return null;
    if (k === 0x04) return simple(3, { kind: 'status', n: at(2) });
    if (k === 0x05) return simple(3, { kind: 'other', name: 'DLE ENQ' });
    if (k === 0x14) return simple(5, { kind: 'other', name: 'DLE DC4' });
    return { len: 1, cmd: { kind: 'other', name: 'DLE' } };
  }
  if (c === 0x1b) {
    const k = at(1);
    if (k === -1) return null;
    const one = (cmd: Command) => simple(3, cmd);
    switch (k) {
      case 0x40:
        return { len: 2, cmd: { kind: 'init' } };
      case 0x21:
        return one({ kind: 'mode', n: at(2) });
      case 0x45:
      case 0x47:
        return one({ kind: 'bold', on: (at(2) & 1) === 1 });
      case 0x61:
        return one({ kind: 'align', n: at(2) % 48 });
      case 0x74:
        return one({ kind: 'codePage', n: at(2) });
      case 0x64:
        return one({ kind: 'feedLines', n: at(2) });
      case 0x4a:
        return one({ kind: 'feedDots', n: at(2) });
      case 0x32:
        return { len: 2, cmd: { kind: 'lineSpacing', n: null } };
      case 0x33:
        return one({ kind: 'lineSpacing', n: at(2) });
      case 0x4d:
        return one({ kind: 'font', n: at(2) });
      case 0x2d:
      case 0x52:
      case 0x7b:
      case 0x56:
      case 0x20:
      case 0x3d:
      case 0x72:
      case 0x55:
      case 0x63:
        return one({ kind: 'other', name: `ESC ${String.fromCharCode(k)}` });
      case 0x24:
      case 0x5c:
      case 0x42:
        return simple(4, { kind: 'other', name: `ESC ${String.fromCharCode(k)}` });
      case 0x70:
        return simple(5, { kind: 'other', name: 'ESC p' });
      default:
        return simple(3, { kind: 'other', name: `ESC 0x${k.toString(16)}` });
    }
  }
  if (c === 0x1d) {
    const k = at(1);
    if (k === -1) return null;
    switch (k) {
      case 0x21:
        return simple(3, { kind: 'size', n: at(2) });
      case 0x42:
        return simple(3, { kind: 'invert', on: (at(2) & 1) === 1 });
      case 0x72:
        return simple(3, { kind: 'paperStatus', n: at(2) });
      case 0x56: {
        const m = at(2);
        if (m === -1) return null;
        return simple(m === 0 || m === 1 || m === 48 || m === 49 ? 3 : 4, { kind: 'cut' });
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH d1...dk
        if (!need(8)) return null;
        const scale = at(3) & 3;
        const wBytes = at(4) + 256 * at(5);
        const height = at(6) + 256 * at(7);
        const len = 8 + wBytes * height;
        if (!need(len)) return null;
        return { len, cmd: { kind: 'raster', width: wBytes * 8, height, data: b.slice(i + 8, i + len), scale } };
      }
      case 0x28: {
        // GS ( X pL pH ...
        if (!need(5)) return null;
        const fnGroup = at(2);
        const p = at(3) + 256 * at(4);
        const len = 5 + p;
        if (!need(len)) return null;
        if (fnGroup === 0x6b && at(5) === 49) {
          const fn = at(6);
          if (fn === 80) return { len, cmd: { kind: 'qrStore', data: b.slice(i + 8, i + len) } };
          if (fn === 81) return { len, cmd: { kind: 'qrPrint' } };
          return { len, cmd: { kind: 'qrSetting', fn, value: at(7) } };
        }
        return { len, cmd: { kind: 'other', name: `GS ( ${String.fromCharCode(fnGroup)}` } };
      }
      case 0x6b: {
        // GS k m: m <= 6 NUL-terminated data, else n + n bytes
        const m = at(2);
        if (m === -1) return null;
        if (m <= 6) {
          const end = b.indexOf(0, i + 3);
          return end < 0 ? null : { len: end - i + 1, cmd: { kind: 'other', name: 'GS k' } };
        }
        const n = at(3);
        if (n === -1) return null;
        return simple(4 + n, { kind: 'other', name: 'GS k' });
      }
      case 0x4c:
      case 0x57:
      case 0x50:
        return simple(4, { kind: 'other', name: `GS ${String.fromCharCode(k)}` });
      default:
        return simple(3, { kind: 'other', name: `GS 0x${k.toString(16)}` });
    }
  }
  if (c === 0x1c) {
    const k = at(1);
    if (k === -1) return null;
    if (k === 0x26 || k === 0x2e) return { len: 2, cmd: { kind: 'other', name: 'FS' } };
    if (k === 0x70) return simple(4, { kind: 'other', name: 'FS p' });
    return simple(3, { kind: 'other', name: 'FS' });
  }
  if (c < 0x20 && c !== 0x09) return { len: 1, cmd: { kind: 'other', name: `0x${c.toString(16)}` } };
  // A run of printable bytes (and tabs).
  let j = i;
  while (j < b.length && (b[j]! >= 0x20 || b[j] === 0x09) && b[j] !== 0x7f) j++;
  if (j === i) return { len: 1, cmd: { kind: 'other', name: 'DEL' } };
  return { len: j - i, cmd: { kind: 'text', bytes: Array.from(b.subarray(i, j)) } };
}

/** Incremental: feed chunks, get complete commands; a command split across chunks waits for the rest. */
export class EscPosParser {
  private pending = new Uint8Array(0);

  feed(chunk: Uint8Array): Command[] {
    const buf = this.pending.length ? concat(this.pending, chunk) : chunk;
    const out: Command[] = [];
    let i = 0;
    while (i < buf.length) {
      const r = parseAt(buf, i);
      if (!r) break;
      out.push(r.cmd);
      i += r.len;
    }
    this.pending = buf.slice(i);
    return out;
  }

  get leftover(): number {
    return this.pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a);
  r.set(b, a.length);
  return r;
}

export function parseAll(bytes: Uint8Array): Command[] {
  return new EscPosParser().feed(bytes);
}

// ---- the interpreter -------------------------------------------------------------------------------------------

export interface PrintedLine {
  text: string;
  /** Character scale (GS ! / ESC !) of the line's first character. */
  scaleW: number;
  scaleH: number;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  y: number;
}

export interface PrintedImage {
  x: number;
  y: number;
  bitmap: Bitmap;
}

export interface DecodedJob {
  lines: PrintedLine[];
  images: PrintedImage[];
  /** Data of native QR symbols (GS ( k), as stored. */
  nativeQr: string[];
  cuts: number;
  /** Characters in a code page this interpreter does not know. */
  undecodable: number;
  /** Commands it skipped without acting on them (names). */
  skipped: string[];
  bitmap: Bitmap;
}

interface Run {
  text: string;
  w: number;
  h: number;
  bold: boolean;
  invert: boolean;
}

const FONT_W = 12;
const FONT_H = 24;

/** Interprets a job (status requests are ignored here: the server answered them). */
export function decodeEscPos(bytes: Uint8Array, widthDots = 576): DecodedJob {
  const lines: PrintedLine[] = [];
  const images: PrintedImage[] = [];
  const nativeQr: string[] = [];
  const skipped: string[] = [];
  const draws: ((bmp: Bitmap) => void)[] = [];
  let cuts = 0;
  let undecodable = 0;
  let page = 0;
  let w = 1,
    h = 1,
    bold = false,
    invert = false,
    align: PrintedLine['align'] = 'left';
  let spacing: number | null = null;
  let y = 0;
  let runs: Run[] = [];
  let qrData: Uint8Array | null = null;
  let qrModule = 3;
  let qrEc: 'L' | 'M' | 'Q' | 'H' = 'M';

  const reset = () => {
    page = 0;
    w = h = 1;
    bold = invert = false;
    align = 'left';
    spacing = null;
  };
  const alignX = (width: number) =>
    align === 'center'
      ? Math.max(0, Math.floor((widthDots - width) / 2))
      : align === 'right'
        ? Math.max(0, widthDots - width)
        : 0;
  const flush = (force: boolean) => {
    if (runs.length === 0 && !force) return;
    const text = runs.map((r) => r.text).join('');
    const lineH = Math.max(...runs.map((r) => r.h * FONT_H), FONT_H);
    const advance = Math.max(lineH, spacing ?? 30);
    if (runs.length > 0) {
      const first = runs[0]!;
      const width = runs.reduce((n, r) => n + Array.from(r.text).length * FONT_W * r.w, 0);
      const x0 = alignX(width);
      const lineY = y;
      const rs = runs;
      draws.push((bmp) => {
        let x = x0;
        for (const r of rs) {
          const sx = Math.floor((FONT_W * r.w) / CELL_W);
          const sy = Math.floor((FONT_H * r.h) / CELL_H);
          const chars = Array.from(r.text);
          if (r.invert) fillRect(bmp, x, lineY + lineH - r.h * FONT_H, chars.length * FONT_W * r.w, r.h * FONT_H);
          chars.forEach((ch, k) =>
            drawText(
              bmp,
              x + k * FONT_W * r.w,
              lineY + lineH - r.h * FONT_H + Math.floor((FONT_H * r.h - CELL_H * sy) / 2),
              ch,
              sx,
              sy,
              r.bold,
              r.invert ? 0 : 1,
            ),
          );
          x += chars.length * FONT_W * r.w;
        }
      });
      lines.push({ text, scaleW: first.w, scaleH: first.h, bold: first.bold, align, y: lineY });
    }
    y += advance;
    runs = [];
  };

  for (const cmd of parseAll(bytes)) {
    switch (cmd.kind) {
      case 'text': {
        let text = '';
        for (const byte of cmd.bytes) {
          const ch = byte === 0x09 ? ' ' : decodeByte(page, byte);
          if (ch === '\ufffd') undecodable++;
          text += ch;
        }
        const last = runs[runs.length - 1];
        if (last && last.w === w && last.h === h && last.bold === bold && last.invert === invert) last.text += text;
        else runs.push({ text, w, h, bold, invert });
        break;
      }
      case 'lf':
        flush(true);
        break;
      case 'init':
        flush(false);
        reset();
        break;
      case 'codePage':
        page = cmd.n;
        break;
      case 'mode':
        w = cmd.n & 0x20 ? 2 : 1;
        h = cmd.n & 0x10 ? 2 : 1;
        bold = (cmd.n & 0x08) !== 0;
        break;
      case 'size':
        w = ((cmd.n >> 4) & 7) + 1;
        h = (cmd.n & 7) + 1;
        break;
      case 'bold':
        bold = cmd.on;
        break;
      case 'invert':
        invert = cmd.on;
        break;
      case 'align':
        align = cmd.n === 1 ? 'center' : cmd.n === 2 ? 'right' : 'left';
        break;
      case 'lineSpacing':
        spacing = cmd.n;
        break;
      case 'feedLines':
        flush(false);
        y += cmd.n * (spacing ?? 30);
        break;
      case 'feedDots':
        flush(false);
        y += cmd.n;
        break;
      case 'cut':
        flush(false);
        cuts++;
        y += 16;
        draws.push(
          ((cy) => (bmp: Bitmap) => {
            for (let x = 0; x < bmp.width; x += 8) fillRect(bmp, x, cy - 8, 4, 1);
          })(y),
        );
        break;
      case 'raster': {
        flush(false);
        const bmp = createBitmap(cmd.width, cmd.height);
        const rowBytes = cmd.width / 8;
        for (let yy = 0; yy < cmd.height; yy++)
          for (let xx = 0; xx < cmd.width; xx++)
            if (cmd.data[yy * rowBytes + (xx >> 3)]! & (0x80 >> (xx & 7))) bmp.data[yy * cmd.width + xx] = 1;
        const img = { x: alignX(cmd.width), y, bitmap: bmp };
        images.push(img);
        draws.push((b) => blit(b, img.bitmap, img.x, img.y));
        y += cmd.height;
        break;
      }
      case 'qrSetting':
        if (cmd.fn === 67) qrModule = Math.max(1, cmd.value);
        if (cmd.fn === 69) qrEc = (['L', 'M', 'Q', 'H'] as const)[cmd.value - 48] ?? 'M';
        break;
      case 'qrStore':
        qrData = cmd.data;
        break;
      case 'qrPrint': {
        if (!qrData) break;
        flush(false);
        const data = new TextDecoder('latin1').decode(qrData);
        nativeQr.push(data);
        try {
          const qr = QRCode.create(data, { errorCorrectionLevel: qrEc });
          const n = qr.modules.size;
          const bmp = createBitmap(n * qrModule, n * qrModule);
          for (let yy = 0; yy < n; yy++)
            for (let xx = 0; xx < n; xx++)
              if (qr.modules.get(yy, xx)) fillRect(bmp, xx * qrModule, yy * qrModule, qrModule, qrModule);
          const img = { x: alignX(bmp.width), y, bitmap: bmp };
          images.push(img);
          draws.push((b) => blit(b, img.bitmap, img.x, img.y));
          y += bmp.height;
        } catch {
          skipped.push('GS ( k (QR too long)');
        }
        break;
      }
      case 'status':
      case 'paperStatus':
      case 'font':
        break;
      case 'other':
        skipped.push(cmd.name);
        break;
    }
  }
  flush(false);
  const width = Math.max(widthDots, ...images.map((i) => i.x + i.bitmap.width));
  const bitmap = createBitmap(width, Math.max(1, y));
  for (const d of draws) d(bitmap);
  return { lines, images, nativeQr, cuts, undecodable, skipped, bitmap };
}
