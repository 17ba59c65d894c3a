/**
 * A USB printer as a device file: Linux `/dev/usb/lpN` (usblp; numbers change across reboots, so prefer a udev
 * symlink by serial, e.g. SUBSYSTEM=="usbmisc", ATTRS{serial}=="...", SYMLINK+="lanyard-badge") or any configured
 * path. Writes and status reads have Lanyard's timeouts. A regular file (a capture, a test) takes the bytes but
 * reports no status.
 *
 * Caveat, stated plainly: file I/O runs on libuv's thread pool and cannot be cancelled. When a write times out the
 * job is `uncertain` and the handle is abandoned; the kernel may still deliver the bytes later, which is exactly why
 * Lanyard never retries such a job on its own.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { PrinterConfig } from '../../core/badge/printer';
import { decodeDleEot, DLE_EOT_QUERY, status, STATUS_ANSWER_BYTES, type PrinterStatus } from './status';
import { failed, uncertain, type PrinterTransport, type SendResult } from './transport';

type Timeouts = PrinterConfig['timeouts'];

const TIMEOUT = Symbol('timeout');
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

export class UsbFileTransport implements PrinterTransport {
  readonly description: string;

  constructor(
    private readonly path: string,
    private readonly timeouts: Timeouts,
    private readonly statusMode: 'dle-eot' | 'none',
  ) {
    this.description = `usb ${path}`;
  }

  private async openDevice(): Promise<{ fh: FileHandle; isFile: boolean } | { error: string }> {
    try {
      const st = await stat(this.path);
      const isFile = st.isFile();
      const fh = await within(open(this.path, isFile ? 'a' : 'r+'), this.timeouts.connectMs);
      if (fh === TIMEOUT) return { error: `opening ${this.path} timed out` };
      return { fh, isFile };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        error:
          code === 'ENOENT'
            ? `no device at ${this.path}`
            : code === 'EACCES'
              ? `no permission to write ${this.path}`
              : (e as Error).message,
      };
    }
  }

  private async query(fh: FileHandle, waitMs: number): Promise<PrinterStatus> {
    const w = await within(fh.write(DLE_EOT_QUERY), this.timeouts.statusMs).catch(() => null);
    if (w === TIMEOUT || w === null) return status('not_responding', 'status request failed');
    const buf = Buffer.alloc(STATUS_ANSWER_BYTES);
    let got = 0;
    const deadline = Date.now() + waitMs;
    while (got < STATUS_ANSWER_BYTES && Date.now() < deadline) {
      const r = await within(fh.read(buf, got, STATUS_ANSWER_BYTES - got, null), deadline - Date.now()).catch(
        () => null,
      );
      if (r === TIMEOUT || r === null || r.bytesRead === 0) break;
      got += r.bytesRead;
    }
    return got === STATUS_ANSWER_BYTES
      ? decodeDleEot(buf)
      : status('not_responding', `no status answer within ${waitMs} ms`);
  }

  async status(): Promise<PrinterStatus> {
    const d = await this.openDevice();
    if ('error' in d) return status('unreachable', d.error);
    try {
      if (d.isFile || this.statusMode === 'none') return status('unknown', 'device present');
      return await this.query(d.fh, this.timeouts.statusMs);
    } finally {
      void d.fh.close().catch(() => undefined);
    }
  }

  async send(job: Uint8Array, beginSending: () => Promise<boolean>): Promise<SendResult> {
    const d = await this.openDevice();
    if ('error' in d) return failed(`unreachable: ${d.error}`, status('unreachable'));
    const asks = !d.isFile && this.statusMode === 'dle-eot';
    let abandon = false;
    let begun = false;
    try {
      let before: PrinterStatus | null = null;
      if (asks) {
        before = await this.query(d.fh, this.timeouts.statusMs);
        if (before.state !== 'ready') return failed(`${before.words}; nothing was sent`, before);
      }
      if (!(await beginSending())) return failed('cancelled before sending', before);
      begun = true;
      const w = await within(
        d.fh.write(job).then(() => 'ok' as const),
        this.timeouts.writeMs,
      ).catch((e: Error) => e);
      if (w === TIMEOUT) {
        abandon = true;
        return uncertain(`the printer stopped taking data (write timed out after ${this.timeouts.writeMs} ms)`, before);
      }
      if (w instanceof Error) return uncertain(`write failed: ${w.message}`, before);
      if (!asks)
        return {
          outcome: 'printed',
          words: d.isFile ? `written to ${this.path}` : 'sent (status not asked)',
          before,
          after: null,
        };
      const after = await this.query(d.fh, this.timeouts.writeMs);
      if (after.state === 'not_responding')
        return uncertain(`no status answer after the job (${after.words})`, before, after);
      if (after.state !== 'ready') return uncertain(`${after.words} during the job`, before, after);
      return { outcome: 'printed', words: 'printed', before, after };
    } catch (e) {
      const words = `device error: ${(e as Error).message}`;
      return begun ? uncertain(words, null) : failed(words);
    } finally {
      if (!abandon) void d.fh.close().catch(() => undefined);
    }
  }
}
