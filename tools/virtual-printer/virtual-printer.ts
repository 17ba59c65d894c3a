/**
 * A virtual ESC/POS (and ZPL-capturing) printer on TCP, for tests, the demo and people without hardware.
 *
 * - Each connection that carries job bytes is one job: captured, decoded (text, sizes, rasters, native QR) and,
 *   with an output directory, written as NNNN.bin, NNNN.txt and NNNN.png. ZPL jobs are kept as NNNN.zpl.
 * - `DLE EOT n` and `GS r n` are answered at once, in stream order (after the bytes before them were taken in).
 * - Faults on demand: paper out, cover open, offline, slow (a delay before each chunk is taken in), drop the
 *   connection after N job bytes, run out of paper during the next job.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Bitmap } from '../../core/badge/bitmap';
import { decodeEscPos, EscPosParser, type DecodedJob } from './escpos-decoder';

export interface PrinterFaults {
  paperOut: boolean;
  coverOpen: boolean;
  offline: boolean;
  paperLow: boolean;
  /** Delay (ms) before each received chunk is taken in; status answers wait behind it. */
  slowMs: number;
  /** Drop the connection once this many job bytes arrived (null: never). Applies to the next job only. */
  dropAfterBytes: number | null;
  /** Run out of paper once the next job's bytes arrived. */
  paperOutDuringNextJob: boolean;
}

export interface CapturedJob {
  n: number;
  bytes: Buffer;
  language: 'escpos' | 'zpl';
  /** The connection ended normally (not dropped by a fault). */
  complete: boolean;
  /** Ended with a cut (ESC/POS) or ^XZ (ZPL). */
  cut: boolean;
  /** Paper was out (or the cover open) when the job arrived: a real printer would hold it. */
  held: boolean;
  decoded: DecodedJob | null;
  text: string[];
  files: string[];
}

export interface VirtualPrinterOptions {
  port?: number;
  host?: string;
  outDir?: string | null;
  widthDots?: number;
  faults?: Partial<PrinterFaults>;
  /** Write a picture per job (default true when outDir is set). */
  png?: boolean;
}

const noFaults: PrinterFaults = {
  paperOut: false,
  coverOpen: false,
  offline: false,
  paperLow: false,
  slowMs: 0,
  dropAfterBytes: null,
  paperOutDuringNextJob: false,
};

export function statusByte(n: number, f: PrinterFaults): number {
  const stopped = f.offline || f.paperOut || f.coverOpen;
  switch (n) {
    case 1:
      return 0x12 | (stopped ? 0x08 : 0);
    case 2:
      return 0x12 | (f.coverOpen ? 0x04 : 0) | (f.paperOut ? 0x20 : 0);
    case 3:
      return 0x12;
    case 4:
      return 0x12 | (f.paperLow ? 0x0c : 0) | (f.paperOut ? 0x60 : 0);
    default:
      return 0x12;
  }
}

export class VirtualPrinter extends EventEmitter {
  readonly faults: PrinterFaults;
  readonly jobs: CapturedJob[] = [];
  statusRequests = 0;
  connections = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly inflight = new Set<Promise<void>>();
  port = 0;

  constructor(private readonly options: VirtualPrinterOptions = {}) {
    super();
    this.faults = { ...noFaults, ...options.faults };
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** tcp://host:port plus the query options given. */
  uri(query = ''): string {
    return `tcp://${this.host}:${this.port}${query ? `?${query}` : ''}`;
  }

  set(f: Partial<PrinterFaults>): void {
    Object.assign(this.faults, f);
  }

  async start(): Promise<number> {
    if (this.options.outDir) mkdirSync(this.options.outDir, { recursive: true });
    this.server = createServer((s) => this.handle(s));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, this.host, () => resolve());
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this.port;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all([...this.inflight]);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** Resolves when no connection is being handled (all jobs recorded). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0 || this.sockets.size > 0) await new Promise((r) => setTimeout(r, 5));
  }

  /** Complete jobs whose text contains `needle`. */
  jobsWith(needle: string): CapturedJob[] {
    return this.jobs.filter((j) => j.text.some((l) => l.includes(needle)));
  }

  private handle(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const parser = new EscPosParser();
    const raw: Buffer[] = [];
    let received = 0;
    let jobCommands = 0;
    let dropped = false;
    let held = false;
    let chain = Promise.resolve();
    const dropAt = this.faults.dropAfterBytes;
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    this.inflight.add(done);

    const takeIn = (chunk: Buffer) => {
      if (dropped) return;
      const keep =
        dropAt !== null && received + chunk.length >= dropAt
          ? chunk.subarray(0, Math.max(0, dropAt - received))
          : chunk;
      for (const c of parser.feed(keep)) {
        if (c.kind === 'status') {
          this.statusRequests++;
          if (!socket.destroyed) socket.write(Buffer.from([statusByte(c.n, this.faults)]));
        } else if (c.kind === 'paperStatus') {
          if (!socket.destroyed) socket.write(Buffer.from([this.faults.paperOut ? 0x0c : 0x00]));
        } else if (jobCommands++ === 0) {
          // The job starts: a printer with no paper would hold it; a roll may run out while it prints.
          held = this.faults.paperOut || this.faults.coverOpen;
          if (this.faults.paperOutDuringNextJob) {
            this.faults.paperOutDuringNextJob = false;
            this.faults.paperOut = true;
          }
        }
      }
      raw.push(Buffer.from(keep));
      received += keep.length;
      if (dropAt !== null && received >= dropAt) {
        dropped = true;
        this.faults.dropAfterBytes = null;
        socket.destroy();
      }
    };

    socket.on('data', (chunk: Buffer) => {
      const delay = this.faults.slowMs;
      chain = chain.then(async () => {
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        takeIn(chunk);
      });
    });
    socket.on('end', () => void chain.then(() => socket.end()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      void chain.then(() => {
        this.sockets.delete(socket);
        if (jobCommands > 0) this.record(Buffer.concat(raw), !dropped, held);
        this.inflight.delete(done);
        finished();
      });
    });
  }

  private record(bytes: Buffer, complete: boolean, held: boolean): void {
    const n = this.jobs.length + 1;
    const isZpl = /^\s*\^XA/.test(bytes.subarray(0, 64).toString('latin1')) || bytes.includes('^XA');
    const files: string[] = [];
    let decoded: DecodedJob | null = null;
    let text: string[];
    if (isZpl) {
      const zpl = bytes.toString('utf8');
      text = [...zpl.matchAll(/\^FD([^^]*)\^FS/g)].map((m) =>
        m[1]!.replace(/_([0-9A-F]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))),
      );
    } else {
      decoded = decodeEscPos(bytes, this.options.widthDots ?? 576);
      text = decoded.lines.map((l) => l.text);
    }
    const cut = isZpl ? bytes.includes('^XZ') : (decoded?.cuts ?? 0) > 0;
    const captured: CapturedJob = {
      n,
      bytes,
      language: isZpl ? 'zpl' : 'escpos',
      complete,
      cut,
      held,
      decoded,
      text,
      files,
    };
    const dir = this.options.outDir;
    if (dir) {
      const base = join(dir, String(n).padStart(4, '0'));
      writeFileSync(`${base}.bin`, bytes);
      files.push(`${base}.bin`);
      const header = `# job ${n}: ${bytes.length} bytes, ${captured.language}${complete ? '' : ', CONNECTION DROPPED'}${held ? ', HELD (paper out / cover open)' : ''}${cut ? ', cut' : ''}`;
      const imageNotes = decoded?.images.map((i) => `# image ${i.bitmap.width}x${i.bitmap.height} at y=${i.y}`) ?? [];
      writeFileSync(`${base}.txt`, [header, ...imageNotes, ...text].join('\n') + '\n');
      files.push(`${base}.txt`);
      if (isZpl) {
        writeFileSync(`${base}.zpl`, bytes);
        files.push(`${base}.zpl`);
      } else if (decoded && this.options.png !== false) {
        writeFileSync(`${base}.png`, bitmapPng(decoded.bitmap));
        files.push(`${base}.png`);
      }
    }
    this.jobs.push(captured);
    this.emit('job', captured);
  }
}

export function bitmapPng(bmp: Bitmap): Buffer {
  const png = new PNG({
    width: Math.max(1, bmp.width),
    height: Math.max(1, bmp.height),
    colorType: 0,
    inputColorType: 0,
    bitDepth: 8,
    inputHasAlpha: false,
  });
  const gray = Buffer.alloc(bmp.width * bmp.height);
  for (let i = 0; i < gray.length; i++) gray[i] = bmp.data[i] ? 0 : 255;
  png.data = gray;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
