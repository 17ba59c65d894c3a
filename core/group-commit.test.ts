import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit';

const defer = (f: () => void) => setTimeout(f, 0);

describe('groupCommit', () => {
  it('commits items submitted together as one batch, in submission order, and resolves each with its own result', async () => {
    const batches: number[][] = [];
    const g = groupCommit<number, string>({
      maxBatch: 100,
      defer,
      commit: async (xs) => (batches.push(xs), xs.map((x) => `ok ${x}`)),
    });
    const out = await Promise.all([1, 2, 3, 4].map((x) => g.submit(x)));
    expect(out).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4']);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(g.pending()).toBe(0);
  });

  it('splits at maxBatch and keeps order across batches', async () => {
    const batches: number[][] = [];
    const g = groupCommit<number, number>({ maxBatch: 3, defer, commit: async (xs) => (batches.push(xs), xs) });
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((x) => g.submit(x)));
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('retries a failed batch one by one: only the bad item fails', async () => {
    const errors: unknown[] = [];
    const g = groupCommit<number, number>({
      maxBatch: 10,
      defer,
      commit: async (xs) => {
        if (xs.includes(13)) throw new Error('13 is unlucky');
        return xs.map((x) => x * 2);
      },
      onItemError: (e, item) => errors.push([item, (e as Error).message]),
    });
    const results = await Promise.allSettled([12, 13, 14].map((x) => g.submit(x)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      24,
      '13 is unlucky',
      28,
    ]);
    expect(errors).toEqual([[13, '13 is unlucky']]);
  });

  it('ordered: after an item fails alone, the items behind it in its batch fail too, so they can come back in order', async () => {
    const g = groupCommit<number, number>({
      maxBatch: 10,
      defer,
      ordered: true,
      commit: async (xs) => {
        if (xs.includes(2)) throw new Error('2 cannot be applied now');
        return xs;
      },
      onItemError: () => {
        throw new Error('a broken reporter changes nothing');
      },
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((x) => g.submit(x)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      1,
      '2 cannot be applied now',
      'an earlier message of the same batch failed; retried later, in order',
      'an earlier message of the same batch failed; retried later, in order',
    ]);
    expect(await g.submit(5)).toBe(5); // and it goes on
  });

  it('a commit that returns the wrong number of results is a failure, not a silent mismatch', async () => {
    let calls = 0;
    const g = groupCommit<number, number>({
      maxBatch: 10,
      defer,
      commit: async (xs) => (calls++, xs.length > 1 ? [1] : xs),
    });
    expect(await Promise.all([5, 6].map((x) => g.submit(x)))).toEqual([5, 6]);
    expect(calls).toBe(3); // the batch, then each alone
  });

  it('close rejects what waits and refuses new items', async () => {
    const g = groupCommit<number, number>({ maxBatch: 10, defer: () => {}, commit: async (xs) => xs });
    const waiting = g.submit(1);
    g.close(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
    await expect(g.submit(2)).rejects.toThrow('stopping');
  });
});
