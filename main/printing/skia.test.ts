/**
 * Skia's addon is loaded with mimalloc's transparent huge pages off (skia.ts): with them, reading a text line's pixels
 * back stalled 25–70 ms about one read in six while the kernel zeroed a fresh 2 MB page (bench/README.md). Each case
 * runs in its own process, because mimalloc reads its options once, when the addon loads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const skiaModule = new URL('./skia.ts', import.meta.url).href;

/** Loads skia.ts in a fresh Node process, reads pixels back as a badge line does, and counts huge-page mappings. */
function hugePageMappings(env: NodeJS.ProcessEnv): { mappings: number; thp: string } {
  const script = `
    const { createCanvas } = await import(${JSON.stringify(skiaModule)});
    const { readFileSync } = await import('node:fs');
    const ctx = createCanvas(448, 256).getContext('2d', { alpha: false, willReadFrequently: true });
    for (let i = 0; i < 20; i++) { ctx.fillText('김지우', 10, 100); ctx.getImageData(0, 0, 387, 225); }
    const flags = readFileSync('/proc/self/smaps', 'utf8').split('\\n').filter((l) => l.startsWith('VmFlags:'));
    // 'hg': the mapping was advised MADV_HUGEPAGE.
    console.log(JSON.stringify({ mappings: flags.filter((l) => / hg( |$)/.test(l)).length, thp: process.env.MIMALLOC_ALLOW_THP }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { mappings: number; thp: string };
}

describe('the Skia addon', () => {
  it('loads with no memory advised for transparent huge pages', () => {
    const env = { ...process.env };
    delete env.MIMALLOC_ALLOW_THP;
    expect(hugePageMappings(env)).toEqual({ mappings: 0, thp: '0' });
  });

  it('keeps a setting already in the environment (and with huge pages allowed, its arena is advised for them)', () => {
    const r = hugePageMappings({ ...process.env, MIMALLOC_ALLOW_THP: '1' });
    expect(r.thp).toBe('1');
    // A kernel built without transparent huge pages refuses the advice: then there is nothing to see.
    if (existsSync('/sys/kernel/mm/transparent_hugepage/enabled')) expect(r.mappings).toBeGreaterThan(0);
  });
});
