/**
 * Shared pieces of the emulator's tests: config builders, SDK clients with short retries, and bounded waits.
 * Not a test file itself (vitest picks up *.test.ts only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import type { RunningEmulator } from './index';

export type Mode = 'memory' | 'durable';
export const MODES: Mode[] = ['memory', 'durable'];

export function namespace(body: { Queues?: unknown[]; Topics?: unknown[]; SharedAccessPolicies?: unknown[] }): object {
  return { UserConfig: { Namespaces: [{ Name: 'test', ...body }], Logging: { Type: 'Console' } } };
}

export function tempDir(prefix = 'sbemu-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** An SDK client that fails fast instead of retrying for minutes. */
export function sdkClient(em: Pick<RunningEmulator, 'connectionString'> | string, retries = 2): ServiceBusClient {
  const cs = typeof em === 'string' ? em : em.connectionString;
  return new ServiceBusClient(cs, {
    retryOptions: { maxRetries: retries, retryDelayInMs: 100, maxRetryDelayInMs: 500, timeoutInMs: 5_000 },
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
