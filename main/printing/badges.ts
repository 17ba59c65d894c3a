/** From a registrant to printer bytes: content, template, layout (core), then the printer's language. */
import type { BadgeContent, BadgeLayout, LayoutMeasure } from '../../core/badge/layout';
import { layoutBadge } from '../../core/badge/layout';
import type { Media, PrinterConfig } from '../../core/badge/printer';
import type { BadgeTemplate } from '../../core/badge/template';
import type { RegistrantBadgeData } from '../store/printing';
import { CELL_W, createBitmap, drawText } from '../../core/badge/bitmap-font';
import { bitmapToPng } from './bitmap-png';
import { renderEscPos, renderTestPage } from './escpos';
import { renderPreview, type Preview } from './preview';
import { qrModules } from './qr';
import type { BadgeAssets } from './templates';
import { renderZpl } from './zpl';

export function badgeContent(data: RegistrantBadgeData, code: string | null): BadgeContent {
  return {
    conferenceName: data.conference.name,
    timezone: data.conference.timezone,
    firstName: data.registrant.firstName,
    lastName: data.registrant.lastName,
    company: data.registrant.company,
    ticketTypeName: data.ticketType.name,
    sessions: data.sessions,
    qrCode: code,
  };
}

export function layoutMeasure(assets: BadgeAssets): LayoutMeasure {
  return {
    qrModules,
    logoSize: (asset) => {
      const b = assets.logo(asset);
      return b ? { width: b.width, height: b.height } : null;
    },
  };
}

export function layoutFor(content: BadgeContent, template: BadgeTemplate, media: Media, assets: BadgeAssets): BadgeLayout {
  return layoutBadge(content, template, media, layoutMeasure(assets));
}

export type PrinterLook = Pick<PrinterConfig, 'language' | 'media' | 'qr'>;

export async function renderBadge(layout: BadgeLayout, printer: PrinterLook, assets: BadgeAssets): Promise<{ bytes: Buffer; replaced: number }> {
  // A picture printer gets exactly what the screen preview shows.
  if (printer.language === 'png') return { bytes: previewBadge(layout, assets).png, replaced: 0 };
  if (printer.language === 'zpl') return { bytes: Buffer.from(renderZpl(layout, { logo: assets.logo }), 'utf8'), replaced: 0 };
  return renderEscPos(layout, { qr: printer.qr, logo: assets.logo });
}

export function previewBadge(layout: BadgeLayout, assets: BadgeAssets): Preview {
  return renderPreview(layout, assets.logo);
}

/** A test page in the printer's language. */
export async function renderTestJob(printer: PrinterLook, label: string, at: string): Promise<Buffer> {
  if (printer.language === 'escpos') return renderTestPage(printer.media, label, at);
  if (printer.language === 'png') return testPicture(printer.media.widthDots, label, at);
  const m = printer.media;
  const zpl = [
    '^XA', '^CI28', `^PW${m.widthDots}`, `^LL${m.heightDots ?? 600}`,
    `^FO0,30^FB${m.widthDots},1,0,C,0^A0N,56,56^FDLANYARD TEST LABEL^FS`,
    `^FO0,100^FB${m.widthDots},1,0,C,0^A0N,28,28^FD${label.replace(/[_^~]/g, ' ')}^FS`,
    `^FO0,140^FB${m.widthDots},1,0,C,0^A0N,28,28^FD${at}^FS`,
    `^FO0,180^FB${m.widthDots},1,0,C,0^A0N,28,28^FDZoë Łukasz · José Ñúñez^FS`,
    `^FO${Math.floor(m.widthDots / 2) - 80},230^BQN,2,5^FDMA,LANYARD-TEST ${at}^FS`,
    '^XZ',
  ];
  return Buffer.from(zpl.join('\n') + '\n', 'utf8');
}

/** A test page as a picture: a title, the label and the time in the built-in bitmap font. */
function testPicture(width: number, label: string, at: string): Buffer {
  const bmp = createBitmap(width, 200);
  drawText(bmp, 16, 16, 'LANYARD TEST PAGE', 2, 2, true);
  drawText(bmp, 16, 90, label.slice(0, Math.floor((width - 32) / CELL_W)), 1, 1);
  drawText(bmp, 16, 130, at, 1, 1);
  return bitmapToPng(bmp);
}
