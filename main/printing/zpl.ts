/**
 * ZPL rendering of a badge layout for Zebra badge printers: UTF-8 with ^CI28, font 0, one ^FO field per line that
 * the app already wrapped. Centred lines use a one-line ^FB (which centres but can never wrap), the QR uses ^BQ
 * model 2 at the layout's module size, logos and rules are ^GF / ^GB.
 */
import type { Bitmap } from '../../core/badge/bitmap-font';
import { type BadgeLayout, lineX, textWidthDots } from '../../core/badge/layout';

/** ^FH_ escapes: the three characters ZPL would read as commands or escapes. */
function field(text: string): string {
  return text.replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function renderZpl(layout: BadgeLayout, opts: { logo?: (asset: string) => Bitmap | null } = {}): string {
  const m = layout.media;
  const out: string[] = ['^XA', '^CI28', `^PW${m.widthDots}`, `^LL${m.heightDots ?? layout.height}`, '^LH0,0'];
  // A small top margin: label stock has no feed before the first line.
  const top = Math.round(m.dpi / 10);
  for (const b of layout.blocks) {
    const y = b.y + top;
    switch (b.kind) {
      case 'text': {
        const h = m.cellHeight * b.scale;
        b.lines.forEach((line, i) => {
          const ly = y + i * b.lineHeight;
          if (b.invert) out.push(`^FO0,${ly - Math.round(m.lineGap / 2)}^GB${m.widthDots},${b.lineHeight},${b.lineHeight}^FS`);
          const pos = b.align === 'center' ? `^FO0,${ly}^FB${m.widthDots},1,0,C,0` : `^FO${lineX(m, 'left', 0, b.scale)},${ly}`;
          out.push(`${pos}^A0N,${h},${h}${b.invert ? '^FR' : ''}^FH_^FD${field(line)}^FS`);
        });
        break;
      }
      case 'qr': {
        const x = b.align === 'center' ? Math.floor((m.widthDots - b.size) / 2) : 0;
        const q = b.quietModules * b.moduleDots;
        // ^BQ's data is "<ec>A,<data>": error correction, automatic input mode. Badge codes are printable ASCII.
        out.push(`^FO${x + q},${y + q}^BQN,2,${Math.min(10, b.moduleDots)}^FD${b.ecLevel}A,${b.data}^FS`);
        break;
      }
      case 'logo': {
        const bmp = opts.logo?.(b.asset);
        if (!bmp) break;
        const x = b.align === 'center' ? Math.floor((m.widthDots - bmp.width) / 2) : 0;
        out.push(`^FO${x},${y}${graphicField(bmp)}^FS`);
        break;
      }
      case 'rule':
        out.push(`^FO0,${y + Math.floor((b.height - b.thickness) / 2)}^GB${m.widthDots},${b.thickness},${b.thickness}^FS`);
        break;
      case 'space':
        break;
    }
  }
  out.push('^PQ1', '^XZ');
  return out.join('\n') + '\n';
}

/** ^GFA with hex data, one bit per dot, rows padded to whole bytes. */
export function graphicField(bmp: Bitmap): string {
  const rowBytes = Math.ceil(bmp.width / 8);
  let hex = '';
  for (let y = 0; y < bmp.height; y++) {
    for (let bx = 0; bx < rowBytes; bx++) {
      let byte = 0;
      for (let k = 0; k < 8; k++) {
        const x = bx * 8 + k;
        if (x < bmp.width && bmp.data[y * bmp.width + x]) byte |= 0x80 >> k;
      }
      hex += byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  const total = rowBytes * bmp.height;
  return `^GFA,${total},${total},${rowBytes},${hex}`;
}

export { textWidthDots };
