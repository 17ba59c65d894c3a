/** ZPL (raster and text mode) rendered by zpl-renderer-js, and the screen preview: QR codes decoded with jsqr and verified. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { BadgeContent } from '../../core/badge/layout';
import { mediaProfiles } from '../../core/badge/printer';
import { generateStationKey, signBadge, verifyBadge } from './badge-keys';
import { composeBadge, previewOf, type PrinterLook } from './badges';
import { loadBadgeFonts } from './fonts';
import { loadBadgeAssets } from './templates';
import { crc16, graphicField } from './zpl';

const env = { assets: loadBadgeAssets(), fonts: loadBadgeFonts() };
const key = generateStationKey();
const code = signBadge({ conferenceId: 'conf-1', registrantId: 'r2', version: 3 }, key);
// Dates are only formatted and compared with `now`, which the content carries.
const content: BadgeContent = {
  conference: { name: 'Small Conf', timezone: 'UTC', startsOn: '2026-12-01', endsOn: '2026-12-02', hasLogo: false },
  person: { firstName: 'Zoë', lastName: 'Łukasz', company: 'Globex ^FS~JA_' },
  ticket: { name: 'Full pass' },
  sessions: [],
  qrCode: code,
  now: '2026-12-01T08:00:00Z',
};
const verifyCtx = {
  keys: new Map([[key.keyId, { publicKey: key.publicKey, station: null }]]),
  conferenceId: 'conf-1',
  revocations: { isRevoked: () => false, currentVersion: () => null },
};
const zpl203: PrinterLook = { language: 'zpl', media: mediaProfiles['zpl-4x6-203']!, mode: 'raster', qr: 'raster' };

function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}
async function renderZpl(zpl: string): Promise<Buffer> {
  const { ready } = await import('zpl-renderer-js');
  const { api } = await ready;
  return Buffer.from(await api.zplToBase64Async(zpl, 101.6, 152.4, 8), 'base64');
}

describe('templates on disk', () => {
  it('are exactly standard, speaker and sponsor; a missing one falls back to standard', () => {
    expect(env.assets.templateIds().sort()).toEqual(['speaker', 'sponsor', 'standard']);
    expect(env.assets.template('no-such-template').id).toBe('standard');
    expect(env.assets.asset('missing.png')).toBeNull();
    expect(env.assets.asset('../../package.json')).toBeNull();
  });
});

describe('ZPL', () => {
  it.each(['standard', 'speaker', 'sponsor'])(
    '%s as one ^GF raster: renders with zpl-renderer-js, its QR decodes and verifies',
    async (id) => {
      const badge = composeBadge(content, null, env.assets.template(id), zpl203, env);
      const zpl = (await badge.bytes()).toString('utf8');
      expect(zpl).toMatch(/^\^XA\n\^PW812\n\^LL1218\n/);
      expect(zpl).toContain('^FO0,0^GFA,');
      // The raster is the only field: names travel as dots, not text.
      expect(zpl).not.toContain('^FD');
      const data = decodeQr(await renderZpl(zpl));
      expect(data).toBe(code);
      expect(verifyBadge(data!, verifyCtx).valid).toBe(true);
    },
    30_000,
  );

  it('text mode: UTF-8 with ^CI28, ZPL control characters escaped, one field per laid line', async () => {
    const badge = composeBadge(content, null, env.assets.template('standard'), { ...zpl203, mode: 'text' }, env);
    const zpl = (await badge.bytes()).toString('utf8');
    expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true);
    expect(zpl).toMatch(/\^FDZoë\^FS/);
    expect(zpl).toContain('^FH_^FDGlobex _5EFS_7EJA_5F^FS');
    expect(zpl).not.toMatch(/\^FB\d+,[2-9]/); // no field block ever wraps
    expect(zpl.trim().endsWith('^XZ')).toBe(true);
    expect(decodeQr(await renderZpl(zpl))).toBe(code);
  }, 30_000);

  it('^GFA is Z64: zlib, base64 and the CRC-16 ZPL checks', () => {
    const bmp = {
      width: 10,
      height: 2,
      data: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    };
    const m = /^\^GFA,4,4,2,:Z64:([A-Za-z0-9+/=]+):([0-9A-F]{4})$/.exec(graphicField(bmp));
    expect(m).not.toBeNull();
    expect(Number.parseInt(m![2]!, 16)).toBe(crc16(m![1]!));
    // CRC-16/XMODEM check value.
    expect(crc16('123456789')).toBe(0x31c3);
  });
});

describe('PNG preview', () => {
  it('is the raster that prints; its QR decodes and verifies', () => {
    for (const mediaId of ['escpos-80-203', 'escpos-58-180', 'zpl-4x6-203']) {
      const media = mediaProfiles[mediaId]!;
      const badge = composeBadge(
        content,
        null,
        env.assets.template('sponsor'),
        { language: media.language, media, mode: 'raster', qr: 'raster' },
        env,
      );
      const p = previewOf(badge);
      expect(p.lines.join(' ')).toContain('Zoë');
      expect([p.width, p.height]).toEqual([badge.raster().width, badge.raster().height]);
      const img = PNG.sync.read(p.png);
      for (let i = 0; i < badge.raster().data.length; i += 997)
        expect(img.data[i * 4]! < 128 ? 1 : 0).toBe(badge.raster().data[i]);
      const data = decodeQr(p.png);
      expect(data, mediaId).toBe(code);
    }
  });
});
