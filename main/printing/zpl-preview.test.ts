/** ZPL rendered by zpl-renderer-js and the screen preview: both decoded back with jsqr and verified. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { mediaProfiles } from '../../core/badge/printer';
import { generateStationKey, signBadge, verifyBadge } from './badge-keys';
import { layoutFor } from './badges';
import { renderPreview } from './preview';
import { loadBadgeAssets } from './templates';
import { graphicField, renderZpl } from './zpl';

const assets = loadBadgeAssets();
const key = generateStationKey();
const code = signBadge({ conferenceId: 'conf-1', registrantId: 'r2', version: 3 }, key);
const content = { conferenceName: 'Small Conf', timezone: 'UTC', firstName: 'Zoë', lastName: 'Łukasz', company: 'Globex ^FS~JA_', ticketTypeName: 'Full pass', sessions: [], qrCode: code };
const verifyCtx = { keys: new Map([[key.keyId, { publicKey: key.publicKey, station: null }]]), conferenceId: 'conf-1', revocations: { isRevoked: () => false, currentVersion: () => null } };

function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}

describe('templates on disk', () => {
  it('are exactly standard, speaker and sponsor, and the sponsor logo loads', () => {
    expect(assets.templateIds().sort()).toEqual(['speaker', 'sponsor', 'standard']);
    expect(assets.logo('lanyard-logo.png')).toMatchObject({ width: 256, height: 64 });
    expect(assets.logo('missing.png')).toBeNull();
    expect(assets.template('no-such-template').id).toBe('standard');
  });
});

describe('ZPL', () => {
  it('is UTF-8 with ^CI28, escapes ZPL control characters, and puts every line in its own field', () => {
    const zpl = renderZpl(layoutFor(content, assets.template('standard'), mediaProfiles['zpl-4x6-203']!, assets), { logo: assets.logo });
    expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true);
    expect(zpl).toContain('^FDZoë Łukasz^FS');
    expect(zpl).toContain('^FH_^FDGlobex _5EFS_7EJA_5F^FS');
    expect(zpl).not.toMatch(/\^FB\d+,[2-9]/); // no field block ever wraps
    expect(zpl.trim().endsWith('^XZ')).toBe(true);
  });

  it.each(['standard', 'speaker', 'sponsor'])('%s renders with zpl-renderer-js and its QR decodes and verifies', async (id) => {
    const media = mediaProfiles['zpl-4x6-203']!;
    const zpl = renderZpl(layoutFor(content, assets.template(id), media, assets), { logo: assets.logo });
    const { ready } = await import('zpl-renderer-js');
    const { api } = await ready;
    const png = Buffer.from(await api.zplToBase64Async(zpl, 101.6, 152.4, 8), 'base64');
    const data = decodeQr(png);
    expect(data).toBe(code);
    expect(verifyBadge(data!, verifyCtx).valid).toBe(true);
  }, 30_000);

  it('^GFA encodes one bit per dot, rows padded to bytes', () => {
    const bmp = { width: 10, height: 2, data: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) };
    expect(graphicField(bmp)).toBe('^GFA,4,4,2,80C00040');
  });
});

describe('PNG preview', () => {
  it('draws the same layout; the QR decodes and verifies', () => {
    for (const mediaId of ['escpos-80-203', 'escpos-58-180', 'zpl-4x6-203']) {
      const p = renderPreview(layoutFor(content, assets.template('sponsor'), mediaProfiles[mediaId]!, assets), assets.logo);
      expect(p.lines.join(' ')).toContain('Zoë Łukasz');
      const data = decodeQr(p.png);
      expect(data, mediaId).toBe(code);
    }
  });
});
