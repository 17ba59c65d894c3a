/**
 * Printers as staff configure them: one URI names the transport and the printer's language, paper and options.
 *
 *   tcp://192.168.1.50:9100?paper=80&dpi=203          ESC/POS over TCP (the default language)
 *   tcp://10.0.0.7?lang=zpl&dpi=203                     a Zebra badge printer
 *   usb:/dev/usb/lp0?paper=58&dpi=180                    a USB device file (or any configured path)
 *   spooler:Badge%20Printer?lang=escpos                  the Windows spooler in RAW mode (Windows only)
 *   folder:/var/lanyard/prints                           PNG badges written to a folder (the embedded default)
 *   system:Zebra%20ZD421                                 an operating-system printer, driven by the desktop app
 *
 * Query options: lang=escpos|zpl, paper=58|80, dpi=180|203|300, mode=raster|text, qr=raster|native (text mode
 * only), status=dle-eot|none, connectMs, writeMs, statusMs (timeouts).
 *
 * `mode=raster` (the default) sends the badge as one picture drawn with Lanyard's fonts, the same picture as the
 * preview; `mode=text` uses the printer's own font and code pages, for printers that cannot take a large raster.
 *
 * `folder:` and `system:` printers get the badge as a picture (lang=png): the same raster as the screen preview.
 */
import { z } from 'zod';

export type PrinterLanguage = 'escpos' | 'zpl' | 'png';
export type QrMode = 'raster' | 'native';
export type PrintMode = 'raster' | 'text';

/** The printable area of one kind of stock, and the printer's own font cell (for text mode: ESC/POS font A, ZPL font 0). */
export interface Media {
  id: string;
  language: PrinterLanguage;
  dpi: number;
  /** Printable width in dots. */
  widthDots: number;
  /** Label length in dots for label printers (ZPL); null for continuous/fanfold stock cut after each badge. */
  heightDots: number | null;
  /** Width and height of one character cell at scale 1, in dots. */
  cellWidth: number;
  cellHeight: number;
  /** Extra dots between lines at scale 1. */
  lineGap: number;
  /** Largest text scale the printer supports. */
  maxScale: number;
}

const escpos = (paper: 58 | 80, dpi: 180 | 203): Media => ({
  id: `escpos-${paper}-${dpi}`,
  language: 'escpos',
  dpi,
  // Epson: 80 mm paper prints 72 mm (512 dots at 180 dpi, 576 at 203); 58 mm paper prints 48 mm (360 / 384).
  widthDots: paper === 80 ? (dpi === 180 ? 512 : 576) : dpi === 180 ? 360 : 384,
  heightDots: null,
  cellWidth: 12,
  cellHeight: 24,
  lineGap: 6,
  maxScale: 8,
});

const zpl = (dpi: 203 | 300): Media => ({
  id: `zpl-4x6-${dpi}`,
  language: 'zpl',
  dpi,
  // 4 × 6 inch badge stock (a name, sessions and a QR need the length; 4 × 3 cuts the QR off).
  widthDots: dpi === 203 ? 812 : 1200,
  heightDots: dpi === 203 ? 1218 : 1800,
  // Font 0 (CG Triumvirate Bold Condensed) at height 28: glyphs average under 0.5 × height; 0.6 keeps wrapping safe.
  cellWidth: dpi === 203 ? 17 : 25,
  cellHeight: dpi === 203 ? 28 : 41,
  lineGap: dpi === 203 ? 6 : 9,
  maxScale: 6,
});

/** A badge as a picture: the 80 mm geometry at 203 dpi, drawn by the preview renderer. */
const png: Media = { ...escpos(80, 203), id: 'png-80-203', language: 'png' };

export const mediaProfiles: Record<string, Media> = Object.fromEntries(
  [escpos(58, 180), escpos(58, 203), escpos(80, 180), escpos(80, 203), zpl(203), zpl(300), png].map((m) => [m.id, m]),
);

export type PrinterTransportSpec =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb'; path: string }
  | { kind: 'spooler'; name: string }
  | { kind: 'folder'; path: string }
  | { kind: 'system'; name: string };

export interface PrinterConfig {
  /** The URI as given (trimmed); the printer's identity in the queue. */
  uri: string;
  transport: PrinterTransportSpec;
  language: PrinterLanguage;
  media: Media;
  mode: PrintMode;
  qr: QrMode;
  /** Whether to ask the printer for real-time status (DLE EOT) before and after each job. */
  status: 'dle-eot' | 'none';
  timeouts: { connectMs: number; writeMs: number; statusMs: number };
}

export const defaultTimeouts = { connectMs: 3000, writeMs: 15_000, statusMs: 2000 } as const;

const ms = z.coerce.number().int().min(10).max(120_000);
const Query = z
  .object({
    lang: z.enum(['escpos', 'zpl', 'png']).optional(),
    paper: z.enum(['58', '80']).default('80'),
    dpi: z.enum(['180', '203', '300']).default('203'),
    mode: z.enum(['raster', 'text']).default('raster'),
    qr: z.enum(['raster', 'native']).default('raster'),
    status: z.enum(['dle-eot', 'none']).optional(),
    connectMs: ms.default(defaultTimeouts.connectMs),
    writeMs: ms.default(defaultTimeouts.writeMs),
    statusMs: ms.default(defaultTimeouts.statusMs),
  })
  .strict();

export type ParsedPrinter = { ok: true; printer: PrinterConfig } | { ok: false; reason: string };

/** Parses and validates a printer URI; the reason is written for staff. */
export function parsePrinterUri(input: string): ParsedPrinter {
  const uri = input.trim();
  if (uri.length === 0 || uri.length > 500) return { ok: false, reason: 'a printer URI is 1 to 500 characters' };
  if (/[\u0000-\u001f\u007f]/.test(uri)) return { ok: false, reason: 'the printer URI contains control characters' };
  const q = uri.indexOf('?');
  const base = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? '' : uri.slice(q + 1);

  let transport: PrinterTransportSpec;
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/i.exec(base);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) return { ok: false, reason: `port ${port} is out of range` };
    transport = { kind: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port };
  } else if (/^usb:/i.test(base)) {
    const path = decode(base.replace(/^usb:(\/\/)?/i, ''));
    if (path === null || !path.startsWith('/') || path.includes('\0'))
      return { ok: false, reason: 'a USB printer is usb:/dev/usb/lpN or usb:/absolute/path' };
    transport = { kind: 'usb', path: path.replace(/^\/+/, '/') };
  } else if (/^spooler:/i.test(base)) {
    const name = decode(base.slice('spooler:'.length));
    if (!name || name.length > 200) return { ok: false, reason: 'a spooler printer is spooler:NAME' };
    transport = { kind: 'spooler', name };
  } else if (/^folder:/i.test(base)) {
    const path = decode(base.replace(/^folder:(\/\/)?/i, ''));
    if (path === null || !path.startsWith('/') || path.includes('\0') || /(^|\/)\.\.(\/|$)/.test(path))
      return { ok: false, reason: 'a folder printer is folder:/absolute/path' };
    transport = { kind: 'folder', path: path.replace(/^\/+/, '/') };
  } else if (/^system:/i.test(base)) {
    const name = decode(base.slice('system:'.length));
    if (!name || name.length > 200)
      return { ok: false, reason: 'a system printer is system:NAME (the name the operating system shows)' };
    transport = { kind: 'system', name };
  } else {
    return {
      ok: false,
      reason: `unsupported printer "${uri.slice(0, 80)}": use tcp://host:port, usb:/dev/usb/lpN, spooler:NAME, folder:/path or system:NAME`,
    };
  }
  const pictures = transport.kind === 'folder' || transport.kind === 'system';

  const params: Record<string, string> = {};
  for (const part of query.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (key === null || value === null) return { ok: false, reason: 'the printer URI has a badly encoded option' };
    params[key] = value;
  }
  const parsed = Query.safeParse(params);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return {
      ok: false,
      reason: `printer option ${i?.path.join('.') || ''}: ${i?.message ?? 'invalid'}`.replace('option : ', 'options: '),
    };
  }
  const o = parsed.data;
  const lang = o.lang ?? (pictures ? 'png' : 'escpos');
  if (pictures !== (lang === 'png'))
    return {
      ok: false,
      reason: pictures
        ? `a ${transport.kind} printer takes pictures (lang=png)`
        : 'lang=png is for folder: and system: printers',
    };
  // In raster mode the QR code is part of the badge's picture; the printer's own QR command only exists in text mode.
  if (o.qr === 'native' && o.mode !== 'text')
    return { ok: false, reason: 'qr=native needs mode=text (in raster mode the QR code is part of the badge picture)' };
  let media: Media;
  if (lang === 'png') {
    media = mediaProfiles['png-80-203']!;
  } else if (lang === 'zpl') {
    if (o.dpi === '180') return { ok: false, reason: 'ZPL printers are 203 or 300 dpi' };
    media = mediaProfiles[`zpl-4x6-${o.dpi}`]!;
  } else {
    if (o.dpi === '300') return { ok: false, reason: 'ESC/POS printers are 180 or 203 dpi' };
    media = mediaProfiles[`escpos-${o.paper}-${o.dpi}`]!;
  }
  return {
    ok: true,
    printer: {
      uri,
      transport,
      language: lang,
      media,
      mode: o.mode,
      qr: o.qr,
      // ZPL printers answer ~HS, not DLE EOT; Lanyard does not rely on it.
      status: o.status ?? (lang === 'escpos' ? 'dle-eot' : 'none'),
      timeouts: { connectMs: o.connectMs, writeMs: o.writeMs, statusMs: o.statusMs },
    },
  };
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** A printer URI in a request: validated by parsePrinterUri. */
export const PrinterUri = z
  .string()
  .max(500)
  .superRefine((s, ctx) => {
    const p = parsePrinterUri(s);
    if (!p.ok) ctx.addIssue({ code: 'custom', message: p.reason });
  });
