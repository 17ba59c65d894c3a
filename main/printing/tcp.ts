/**
 * TCP 9100 ("raw", "JetDirect"): one connection per job, `DLE EOT` status before and after, a timeout on every
 * step (connect, status answer, write, answer after the job).
 */
import { Socket } from 'node:net';
import type { PrinterConfig } from '../../core/badge/printer';
import { decodeDleEot, DLE_EOT_QUERY, status, STATUS_ANSWER_BYTES, type PrinterStatus } from './status';
import { failed, uncertain, type PrinterTransport, type SendResult } from './transport';

type Timeouts = PrinterConfig['timeouts'];

/** A socket with awaitable, time-limited reads and writes. */
export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiter: (() => void) | null = null;
  closed = false;
  error: NodeJS.ErrnoException | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.buffered += d.length;
      this.waiter?.();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.error ??= e;
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  static open(host: string, port: number, timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      });
      socket.connect({ host, port }, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new Connection(socket));
      });
    });
  }

  write(bytes: Uint8Array, timeoutMs: number): Promise<'ok' | 'timeout' | 'closed'> {
    if (this.closed || this.socket.destroyed) return Promise.resolve('closed');
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: 'ok' | 'timeout' | 'closed') => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.socket.off('close', onClose);
        resolve(r);
      };
      const onClose = () => finish('closed');
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      this.socket.once('close', onClose);
      this.socket.write(bytes, (e) => finish(e ? 'closed' : 'ok'));
    });
  }

  /** Exactly n bytes, or null when the time is up or the peer closed first. */
  async read(n: number, timeoutMs: number): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered < n) {
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
    const all = Buffer.concat(this.chunks);
    this.chunks = [all.subarray(n)];
    this.buffered = all.length - n;
    return all.subarray(0, n);
  }

  /** Half-closes and waits for the printer to close its side. */
  async end(timeoutMs: number): Promise<boolean> {
    if (this.closed) return this.error === null;
    this.socket.end();
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await this.read(Number.MAX_SAFE_INTEGER, deadline - Date.now());
    return this.closed && this.error === null;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function unreachableWords(e: unknown, where: string): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ETIMEDOUT'
        ? (e as Error).message
        : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
          ? 'no route to the printer'
          : code === 'ENOTFOUND'
            ? 'unknown host name'
            : (e as Error).message;
  return `${why} (${where})`;
}

export class TcpTransport implements PrinterTransport {
  readonly description: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeouts: Timeouts,
    private readonly statusMode: 'dle-eot' | 'none',
  ) {
    this.description = `tcp ${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  private async query(conn: Connection, waitMs: number): Promise<PrinterStatus> {
    const w = await conn.write(DLE_EOT_QUERY, this.timeouts.statusMs);
    if (w !== 'ok')
      return status(
        'not_responding',
        w === 'closed' ? 'the printer closed the connection' : 'status request timed out',
      );
    const answer = await conn.read(STATUS_ANSWER_BYTES, waitMs);
    if (!answer)
      return status(
        'not_responding',
        conn.closed ? 'the printer closed the connection' : `no answer within ${waitMs} ms`,
      );
    return decodeDleEot(answer);
  }

  async status(): Promise<PrinterStatus> {
    let conn: Connection;
    try {
      conn = await Connection.open(this.host, this.port, this.timeouts.connectMs);
    } catch (e) {
      return status('unreachable', unreachableWords(e, this.description));
    }
    try {
      if (this.statusMode === 'none') return status('unknown', 'reachable');
      return await this.query(conn, this.timeouts.statusMs);
    } finally {
      conn.destroy();
    }
  }

  async send(job: Uint8Array, beginSending: () => Promise<boolean>): Promise<SendResult> {
    let conn: Connection;
    try {
      conn = await Connection.open(this.host, this.port, this.timeouts.connectMs);
    } catch (e) {
      return failed(`unreachable: ${unreachableWords(e, this.description)}`, status('unreachable'));
    }
    let begun = false;
    try {
      let before: PrinterStatus | null = null;
      if (this.statusMode === 'dle-eot') {
        before = await this.query(conn, this.timeouts.statusMs);
        if (before.state !== 'ready') return failed(`${before.words}; nothing was sent`, before);
      }
      if (!(await beginSending())) return failed('cancelled before sending', before);
      begun = true;
      const w = await conn.write(job, this.timeouts.writeMs);
      if (w === 'timeout')
        return uncertain(`the printer stopped taking data (write timed out after ${this.timeouts.writeMs} ms)`, before);
      if (w === 'closed') return uncertain('the connection dropped while sending', before);
      if (this.statusMode === 'dle-eot') {
        // The printer answers after it has taken the job in: the answer is the job's receipt.
        const after = await this.query(conn, this.timeouts.writeMs);
        if (after.state === 'not_responding') {
          return uncertain(
            conn.closed ? 'the connection dropped during the job' : `no status answer after the job (${after.words})`,
            before,
            after,
          );
        }
        if (after.state !== 'ready') return uncertain(`${after.words} during the job`, before, after);
        void conn.end(this.timeouts.statusMs);
        return { outcome: 'printed', words: after.paperLow ? 'printed (paper low)' : 'printed', before, after };
      }
      const clean = await conn.end(this.timeouts.writeMs);
      if (!clean) return uncertain('the printer did not close the connection cleanly after the job', before);
      return { outcome: 'printed', words: 'sent (this printer does not report status)', before, after: null };
    } catch (e) {
      // Not expected (every step above returns values); once sending began, bytes may have gone out.
      const words = `transport error: ${(e as Error).message}`;
      return begun ? uncertain(words, null) : failed(words);
    } finally {
      setTimeout(() => conn.destroy(), 50).unref();
    }
  }
}
