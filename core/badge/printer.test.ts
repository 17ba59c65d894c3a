import { describe, expect, it } from 'vitest';
import { parsePrinterUri } from './printer';

describe('printer URIs', () => {
  it.each([
    [
      'tcp://127.0.0.1:9100',
      {
        transport: { kind: 'tcp', host: '127.0.0.1', port: 9100 },
        language: 'escpos',
        mediaId: 'escpos-80-203',
        mode: 'raster',
        qr: 'raster',
        status: 'dle-eot',
      },
    ],
    [
      'tcp://printer.local',
      { transport: { kind: 'tcp', host: 'printer.local', port: 9100 }, mediaId: 'escpos-80-203' },
    ],
    [
      'tcp://[::1]:9101?paper=58&dpi=180&mode=text&qr=native',
      { transport: { kind: 'tcp', host: '::1', port: 9101 }, mediaId: 'escpos-58-180', mode: 'text', qr: 'native' },
    ],
    ['tcp://10.0.0.7?lang=zpl&mode=text', { language: 'zpl', mode: 'text' }],
    ['tcp://10.0.0.7?lang=zpl', { language: 'zpl', mediaId: 'zpl-4x6-203', status: 'none' }],
    ['tcp://10.0.0.7?lang=zpl&dpi=300', { mediaId: 'zpl-4x6-300' }],
    ['usb:/dev/usb/lp0?paper=58', { transport: { kind: 'usb', path: '/dev/usb/lp0' }, mediaId: 'escpos-58-203' }],
    ['usb:///dev/usb/lp1', { transport: { kind: 'usb', path: '/dev/usb/lp1' } }],
    ['spooler:Badge%20Printer', { transport: { kind: 'spooler', name: 'Badge Printer' } }],
    [
      'folder:/var/lanyard/prints',
      {
        transport: { kind: 'folder', path: '/var/lanyard/prints' },
        language: 'png',
        mediaId: 'png-80-203',
        status: 'none',
      },
    ],
    ['system:Zebra%20ZD421', { transport: { kind: 'system', name: 'Zebra ZD421' }, language: 'png' }],
    [
      'tcp://127.0.0.1:9100?status=none&connectMs=500&writeMs=2000&statusMs=300',
      { status: 'none', timeouts: { connectMs: 500, writeMs: 2000, statusMs: 300 } },
    ],
  ])('%s', (uri, want) => {
    const p = parsePrinterUri(uri);
    expect(p.ok, JSON.stringify(p)).toBe(true);
    if (!p.ok) return;
    const { mediaId, ...rest } = want as Record<string, unknown>;
    expect(p.printer).toMatchObject(rest);
    if (mediaId) expect(p.printer.media.id).toBe(mediaId);
  });

  it.each([
    ['', 'a printer URI'],
    ['http://printer', 'unsupported printer'],
    ['tcp://127.0.0.1:70000', 'out of range'],
    ['tcp://127.0.0.1:9100?lang=pdf', 'lang'],
    ['tcp://127.0.0.1:9100?paper=112', 'paper'],
    ['tcp://127.0.0.1:9100?dpi=300', 'ESC/POS printers are 180 or 203 dpi'],
    ['tcp://127.0.0.1?lang=zpl&dpi=180', 'ZPL printers are 203 or 300 dpi'],
    ['tcp://127.0.0.1?connectMs=1', 'connectMs'],
    ['tcp://127.0.0.1?colour=red', 'colour'],
    ['tcp://127.0.0.1?mode=pdf', 'mode'],
    ['tcp://127.0.0.1?qr=native', 'qr=native needs mode=text'],
    ['usb:dev/usb/lp0', 'usb:/dev/usb/lpN'],
    ['tcp://127.0.0.1/\u0000', 'control characters'],
    ['spooler:', 'spooler:NAME'],
    ['folder:relative/prints', 'folder:/absolute/path'],
    ['folder:/tmp/../etc', 'folder:/absolute/path'],
    ['folder:/tmp/p?lang=escpos', 'takes pictures'],
    ['tcp://127.0.0.1?lang=png', 'lang=png is for folder'],
    ['system:', 'system:NAME'],
  ])('rejects %j', (uri, reason) => {
    const p = parsePrinterUri(uri);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toContain(reason);
  });
});
