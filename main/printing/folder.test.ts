import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderTransport } from './folder';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lanyard-folder-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const png = () => {
  const p = new PNG({ width: 2, height: 2 });
  p.data.fill(255);
  return PNG.sync.write(p);
};

describe('folder printer', () => {
  it('saves each job whole as a PNG, after marking it sending', async () => {
    const out = join(dir, 'prints');
    const t = new FolderTransport(out);
    let marked = false;
    const r = await t.send(png(), async () => (marked = true));
    expect(marked).toBe(true);
    expect(r.outcome).toBe('printed');
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.png$/);
    expect(r.words).toBe(`saved as ${files[0]}`);
    expect(PNG.sync.read(readFileSync(join(out, files[0]!))).width).toBe(2);
  });

  it('a folder it cannot create is unreachable, and the job fails before sending', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const t = new FolderTransport(join(dir, 'a-file', 'prints')); // a file where a folder should be: even root cannot
    let marked = false;
    const r = await t.send(png(), async () => (marked = true));
    expect(r.outcome).toBe('failed');
    expect(marked).toBe(false);
    expect(r.words).toContain('cannot write');
    expect((await t.status()).state).toBe('unreachable');
  });

  it('nothing is written when the job is cancelled before sending', async () => {
    const r = await new FolderTransport(dir).send(png(), async () => false);
    expect(r.outcome).toBe('failed');
    expect(readdirSync(dir)).toEqual([]);
  });
});
