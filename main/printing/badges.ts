/**
 * From a registrant to printer bytes: content, template, layout (core, fitted with the real fonts), then one raster
 * that is the preview PNG, the ESC/POS job and the ZPL job; or, in text mode, the printer's own font.
 */
import type { Bitmap } from '../../core/badge/bitmap';
import { layoutBadge, layoutText, type BadgeContent, type BadgeLayout } from '../../core/badge/layout';
import type { PrinterConfig } from '../../core/badge/printer';
import type { BadgeTemplate } from '../../core/badge/template';
import type { BadgeWarning } from '../../core/badge/views';
import type { RegistrantBadgeData } from '../store/printing';
import { bitmapToPng } from './bitmap-png';
import { escposRaster, renderTestPage } from './escpos';
import type { BadgeFonts } from './fonts';
import { badgeImages, type BadgeImages } from './images';
import { qrModules } from './qr';
import { drawBadge, drawSample } from './raster';
import type { BadgeAssets } from './templates';
import { escposText, printerFontMeasure, zplText } from './text-mode';
import { graphicField, zplRaster } from './zpl';

export type PrinterLook = Pick<PrinterConfig, 'language' | 'media' | 'qr' | 'mode'>;

export interface BadgeEnv {
  assets: BadgeAssets;
  fonts: BadgeFonts;
}

/** What a badge says, from the station's data; `now` is the station's clock (sessions already over are left off). */
export function badgeContent(data: RegistrantBadgeData, code: string | null, now: string): BadgeContent {
  return {
    conference: {
      name: data.conference.name,
      timezone: data.conference.timezone,
      startsOn: data.conference.startsOn,
      endsOn: data.conference.endsOn,
      hasLogo: data.conference.logo !== null,
    },
    person: {
      ...data.registrant.profile,
      firstName: data.registrant.firstName,
      lastName: data.registrant.lastName,
      company: data.registrant.company,
    },
    ticket: { name: data.ticketType.name, label: data.ticketType.badgeLabel, days: data.ticketType.days },
    sessions: data.sessions,
    qrCode: code,
    now,
  };
}

export interface ComposedBadge {
  layout: BadgeLayout;
  warnings: BadgeWarning[];
  /** The raster (raster mode, and the preview in either mode). */
  raster(): Bitmap;
  /** What the printer gets. */
  bytes(): Promise<Buffer>;
}

/** One badge for one printer: the layout is fitted once, the raster drawn once and shared by preview and job. */
export function composeBadge(
  content: BadgeContent,
  conferenceLogo: string | null,
  template: BadgeTemplate,
  printer: PrinterLook,
  env: BadgeEnv,
): ComposedBadge {
  const images: BadgeImages = badgeImages({ conferenceLogo, asset: env.assets.asset });
  const text = printer.mode === 'text' ? printerFontMeasure(printer.media) : env.fonts.measure;
  const layout = layoutBadge(content, template, printer.media, { text, qrModules, imageSize: images.size });
  let bmp: Bitmap | null = null;
  const raster = () => (bmp ??= drawBadge(layout, env.fonts, images));
  return {
    layout,
    warnings: layout.warnings,
    raster,
    async bytes() {
      // A picture printer (folder:, system:) gets exactly the preview's picture.
      if (printer.language === 'png') return bitmapToPng(raster());
      if (printer.mode === 'text')
        return printer.language === 'zpl'
          ? Buffer.from(zplText(layout, { images }), 'utf8')
          : escposText(layout, { qr: printer.qr, images });
      return printer.language === 'zpl'
        ? Buffer.from(zplRaster(raster(), printer.media), 'utf8')
        : escposRaster(raster());
    },
  };
}

export interface Preview {
  png: Buffer;
  width: number;
  height: number;
  lines: string[];
  warnings: BadgeWarning[];
}

export function previewOf(badge: ComposedBadge): Preview {
  const bmp = badge.raster();
  return {
    png: bitmapToPng(bmp),
    width: bmp.width,
    height: bmp.height,
    lines: layoutText(badge.layout),
    warnings: badge.warnings,
  };
}

/** Names in several scripts, printed on the test page with the badge fonts: staff see at once what this station can draw. */
export const FONT_SAMPLE = [
  'Zoë Łukasz · Νίκος · Иван',
  '김지우 · 杨洋 · 山田太郎',
  'عمر صالح · דוד כהן',
  'สมชาย · राहुल · 🎉',
];

/** A test page in the printer's language. */
export async function renderTestJob(
  printer: PrinterLook,
  label: string,
  at: string,
  fonts: BadgeFonts,
): Promise<Buffer> {
  const m = printer.media;
  if (printer.language === 'png')
    return bitmapToPng(
      drawSample(m.widthDots, ['LANYARD TEST PAGE', label, at, ...FONT_SAMPLE], Math.round(m.dpi / 6), fonts),
    );
  const sample = drawSample(m.widthDots, FONT_SAMPLE, Math.round(m.dpi / 6), fonts);
  if (printer.language === 'escpos') return renderTestPage(m, label, at, sample);
  const zpl = [
    '^XA',
    '^CI28',
    `^PW${m.widthDots}`,
    `^LL${m.heightDots ?? 600}`,
    `^FO0,30^FB${m.widthDots},1,0,C,0^A0N,56,56^FDLANYARD TEST LABEL^FS`,
    `^FO0,100^FB${m.widthDots},1,0,C,0^A0N,28,28^FD${label.replace(/[_^~]/g, ' ')}^FS`,
    `^FO0,140^FB${m.widthDots},1,0,C,0^A0N,28,28^FD${at}^FS`,
    `^FO0,180^FB${m.widthDots},1,0,C,0^A0N,28,28^FDZoë Łukasz · José Ñúñez^FS`,
    `^FO0,230${graphicField(sample)}^FS`,
    `^FO${Math.floor(m.widthDots / 2) - 80},${250 + sample.height}^BQN,2,5^FDMA,LANYARD-TEST ${at}^FS`,
    '^XZ',
  ];
  return Buffer.from(zpl.join('\n') + '\n', 'utf8');
}
