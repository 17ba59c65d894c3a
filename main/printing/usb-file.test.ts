import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsbFileTransport } from './usb-file';

const dir = mkdtempSync(join(tmpdir(), 'lanyard-usb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const t = { connectMs: 500, writeMs: 300, statusMs: 200 };

describe('USB device file transport', () => {
  it('writes the job to a configured path (a capture file: no status)', async () => {
    const path = join(dir, 'lp-capture');
    writeFileSync(path, '');
    const usb = new UsbFileTransport(path, t, 'dle-eot');
    let began = 0;
    const r = await usb.send(Buffer.from('job-1'), async () => (began++, true));
    expect(r).toMatchObject({ outcome: 'printed', words: `written to ${path}` });
    await usb.send(Buffer.from('job-2'), async () => true);
    expect(readFileSync(path, 'utf8')).toBe('job-1job-2');
    expect(began).toBe(1);
    expect((await usb.status()).state).toBe('unknown');
  });

  it('a missing device fails before sending, in words', async () => {
    const usb = new UsbFileTransport('/dev/usb/lp-lanyard-missing', t, 'dle-eot');
    let began = false;
    const r = await usb.send(Buffer.from('x'), async () => (began = true));
    expect(r.outcome).toBe('failed');
    expect(r.words).toContain('unreachable: no device at /dev/usb/lp-lanyard-missing');
    expect(began).toBe(false);
    expect((await usb.status()).state).toBe('unreachable');
  });

  it('a device that stops taking data times out: uncertain, not failed', async () => {
    const fifo = join(dir, 'stalled');
    execFileSync('mkfifo', [fifo]);
    const usb = new UsbFileTransport(fifo, t, 'none');
    const started = Date.now();
    const r = await usb.send(Buffer.alloc(256 * 1024, 0x41), async () => true);
    expect(r.outcome).toBe('uncertain');
    expect(r.words).toContain('write timed out');
    expect(Date.now() - started).toBeLessThan(2000);
    // Drain the pipe so the abandoned write (on libuv's thread pool) can finish.
    const reader = await open(fifo, 'r');
    const buf = Buffer.alloc(64 * 1024);
    let total = 0;
    while (total < 256 * 1024) {
      const { bytesRead } = await reader.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    await reader.close();
    expect(total).toBe(256 * 1024);
  });
});
