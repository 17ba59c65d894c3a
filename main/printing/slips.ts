/**
 * Receipts and batch divider slips: lines of text drawn once into a raster (raster.ts drawLines) that is the PNG
 * staff see and the job the printer gets, on the same printers and paper as badges.
 */
import type { Bitmap } from '../../core/badge/bitmap';
import { decimal } from '../../core/money';
import { bitmapToPng } from './bitmap-png';
import { escposRaster } from './escpos';
import type { BadgeFonts } from './fonts';
import { drawLines, type SlipLine } from './raster';
import type { PrinterLook } from './badges';
import { zplRaster } from './zpl';

export interface ReceiptData {
  conference: string;
  station: string;
  /** The venue's date and time of the receipt ("2026-12-01 08:52"). */
  at: string;
  person: string;
  code: string;
  payments: {
    description: string;
    amount: number;
    currency: string;
    method: string;
    reference: string | null;
    reason: string | null;
    /** The venue's time it was taken. */
    time: string;
    status: 'paid' | 'voided' | 'refunded';
    closeReason: string | null;
  }[];
}

const methodWords: Record<string, string> = {
  cash: 'cash',
  card: 'card',
  invoice: 'invoice',
  complimentary: 'complimentary',
};

/** A receipt's lines: what was paid, how, what was given back, the total. Sizes relative to the paper's dpi. */
export function receiptLines(d: ReceiptData, dpi: number): SlipLine[] {
  const big = Math.round(dpi / 5);
  const normal = Math.round(dpi / 8.5);
  const small = Math.round(dpi / 11);
  const money = (n: number, c: string) => `${decimal(n, c)} ${c}`;
  const lines: SlipLine[] = [
    { text: 'RECEIPT', size: big, bold: true, center: true },
    { text: d.conference, size: normal, center: true },
    { text: `${d.station} · ${d.at}`, size: small, center: true },
    { text: ' ', size: small },
    { text: d.person, size: normal, bold: true },
    { text: `Confirmation ${d.code}`, size: small },
    { text: ' ', size: small },
  ];
  let total = 0;
  const currency = d.payments[0]?.currency ?? '';
  for (const p of d.payments) {
    lines.push({ text: p.description, right: money(p.amount, p.currency), size: normal });
    const how = [methodWords[p.method] ?? p.method, p.reference ? `ref ${p.reference}` : null, p.reason, p.time]
      .filter(Boolean)
      .join(' · ');
    lines.push({ text: `  ${how}`, size: small });
    if (p.status === 'paid') total += p.amount;
    else
      lines.push({
        text: `  ${p.status === 'voided' ? 'VOIDED' : 'REFUNDED'}${p.closeReason ? `: ${p.closeReason}` : ''}`,
        right: money(-p.amount, p.currency),
        size: small,
        bold: true,
      });
  }
  if (d.payments.length === 0) lines.push({ text: 'Nothing paid at this desk.', size: normal });
  lines.push({ text: ' ', size: small });
  if (d.payments.length > 0)
    lines.push({ text: 'Total paid', right: money(total, currency), size: normal, bold: true });
  lines.push({ text: ' ', size: small }, { text: 'Thank you', size: small, center: true });
  return lines;
}

/** A divider slip between letters (or companies) of a night-before batch: big enough to find in a box of badges. */
export function dividerLines(label: string, note: string, dpi: number): SlipLine[] {
  return [
    { text: '— — —', size: Math.round(dpi / 8), center: true },
    { text: label, size: Math.round(dpi * 0.6), bold: true, center: true },
    { text: note, size: Math.round(dpi / 10), center: true },
    { text: '— — —', size: Math.round(dpi / 8), center: true },
  ];
}

export function drawSlip(lines: SlipLine[], widthDots: number, fonts: BadgeFonts): Bitmap {
  return drawLines(widthDots, lines, fonts);
}

/** The slip's bytes for the printer: the raster as ESC/POS (GS v 0), ZPL (^GF) or the picture itself. */
export function slipBytes(bmp: Bitmap, printer: PrinterLook): Buffer {
  if (printer.language === 'png') return bitmapToPng(bmp);
  if (printer.language === 'zpl') return Buffer.from(zplRaster(bmp, printer.media), 'utf8');
  return escposRaster(bmp);
}
