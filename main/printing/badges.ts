/** From a registrant to printer bytes: content, template, layout (core), then the printer's language. */
import type { BadgeContent, BadgeLayout, LayoutMeasure } from '../../core/badge/layout';
import { layoutBadge } from '../../core/badge/layout';
import type { Media, PrinterConfig } from '../../core/badge/printer';
import type { BadgeTemplate } from '../../core/badge/template';
import type { RegistrantBadgeData } from '../store/printing';
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
  if (printer.language === 'zpl') return { bytes: Buffer.from(renderZpl(layout, { logo: assets.logo }), 'utf8'), replaced: 0 };
  return renderEscPos(layout, { qr: printer.qr, logo: assets.logo });
}

export function previewBadge(layout: BadgeLayout, assets: BadgeAssets): Preview {
  return renderPreview(layout, assets.logo);
}

/** A test page in the printer's language. */
export async function renderTestJob(printer: PrinterLook, label: string, at: string): Promise<Buffer> {
  if (printer.language === 'escpos') return renderTestPage(printer.media, label, at);
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
