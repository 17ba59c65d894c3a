/** The virtual printer itself: its ESC/POS decoder, its status answers, its CLI. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { newEncoder, printLine, setScale } from '../../main/printing/escpos';
import { decodeDleEot, DLE_EOT_QUERY } from '../../main/printing/status';
import { tempDir } from '../../tests/support/fixtures';
import { applyCommand } from './cli';
import { decodeEscPos, EscPosParser } from './escpos-decoder';
import { VirtualPrinter } from './virtual-printer';

describe('ESC/POS decoder', () => {
  it('reads text through code pages, sizes, alignment and bold', () => {
    const p = newEncoder(48);
    const state = { page: null };
    p.alignCenter();
    p.bold(true);
    setScale(p, 3, 2);
    printLine(p, 'Zoë Łukasz', state);
    setScale(p, 1, 1);
    p.bold(false);
    p.alignLeft();
    printLine(p, 'José Ñúñez · Søren Ødegård', state);
    printLine(p, 'Иван', state);
    const d = decodeEscPos(p.getBuffer());
    expect(d.lines).toEqual([
      { text: 'Zoë Łukasz', scaleW: 3, scaleH: 2, bold: true, align: 'center', y: 0 },
      expect.objectContaining({ text: 'José Ñúñez · Søren Ødegård', scaleW: 1, scaleH: 1, bold: false, align: 'left' }),
      expect.objectContaining({ text: 'Иван' }),
    ]);
    expect(d.undecodable).toBe(0);
  });

  it('the stream parser waits for split commands and never reads status requests inside raster data', () => {
    const raster = Buffer.from([0x1d, 0x76, 0x30, 0, 1, 0, 3, 0, 0x10, 0x04, 0x01]); // 1 byte × 3 rows: data looks like DLE EOT 1
    const parser = new EscPosParser();
    const a = parser.feed(raster.subarray(0, 5));
    expect(a).toEqual([]);
    const b = parser.feed(Buffer.concat([raster.subarray(5), DLE_EOT_QUERY.subarray(0, 3)]));
    expect(b.map((c) => c.kind)).toEqual(['raster', 'status']);
  });
});

describe('VirtualPrinter over TCP', () => {
  let vp: VirtualPrinter | undefined;
  afterEach(async () => vp?.stop());

  async function ask(port: number, bytes: Buffer, answer: number): Promise<Buffer> {
    const sock = new Socket();
    await new Promise<void>((r) => sock.connect(port, '127.0.0.1', r));
    const got: Buffer[] = [];
    const done = new Promise<Buffer>((resolve) =>
      sock.on('data', (d) => {
        got.push(d);
        if (Buffer.concat(got).length >= answer) resolve(Buffer.concat(got));
      }),
    );
    sock.write(bytes);
    const r = await done;
    sock.end();
    return r;
  }

  it('answers DLE EOT 1/2/4 with the state it was told', async () => {
    vp = new VirtualPrinter();
    const port = await vp.start();
    expect(decodeDleEot(await ask(port, DLE_EOT_QUERY, 3)).state).toBe('ready');
    for (const [cmd, state] of [
      ['paper-out on', 'paper_out'],
      ['paper-out off', 'ready'],
      ['cover on', 'cover_open'],
      ['cover off', 'ready'],
      ['offline on', 'offline'],
    ] as const) {
      expect(applyCommand(vp, cmd)).toBe(cmd);
      expect(decodeDleEot(await ask(port, DLE_EOT_QUERY, 3)).state).toBe(state);
    }
    applyCommand(vp, 'offline off');
    applyCommand(vp, 'paper-low on');
    expect(decodeDleEot(await ask(port, DLE_EOT_QUERY, 3))).toMatchObject({ state: 'ready', paperLow: true });
    expect(applyCommand(vp, 'slow x')).toContain('usage');
    expect(applyCommand(vp, 'fly')).toContain('unknown command');
    await vp.settled();
    expect(vp.jobs).toHaveLength(0); // status-only connections are not jobs
  });

  it('runs from the command line and writes .bin, .txt and .png per job', async () => {
    const t = tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tools/virtual-printer/cli.ts', '--port', '0', '--out', `${t.dir}/jobs`],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
        setTimeout(() => reject(new Error('no start within 15 s')), 15_000);
      });
      const p = newEncoder(48);
      printLine(p, 'Zoë Łukasz', { page: null });
      p.cut();
      const sock = new Socket();
      await new Promise<void>((r) => sock.connect(port, '127.0.0.1', r));
      await new Promise<void>((r) => sock.end(p.getBuffer(), r));
      const deadline = Date.now() + 10_000;
      while (!existsSync(`${t.dir}/jobs/0001.png`) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(`${t.dir}/jobs`).sort()).toEqual(['0001.bin', '0001.png', '0001.txt']);
      expect(readFileSync(`${t.dir}/jobs/0001.txt`, 'utf8')).toContain('Zoë Łukasz');
    } finally {
      child.kill();
      t.cleanup();
    }
  }, 30_000);
});
