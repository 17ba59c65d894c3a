/**
 * HQ's side of an unreachable broker: how long to wait before the next attempt (exponential, capped), and what to
 * log. Without it, an HQ whose broker is down wrote ~18 lines a second for as long as the outage lasted (the SDK
 * retries its receiver every `retryDelayInMs`, and reports every attempt). Now: the first failure, then one line a
 * minute with the number of attempts, and one line when the broker answers again.
 */

export interface BrokerLinkOptions {
  /** Where HQ connects (no secrets: the endpoint only). */
  endpoint: string;
  log: (line: string) => void;
  now?: () => number;
  /** First retry delay; doubles per failure up to `maxRetryMs`. Defaults 500 ms and 30 s. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** The "still cannot reach" line, at most this often. Default one minute. */
  summaryEveryMs?: number;
  /** Called once when the broker answers again: users waiting out a long backoff may try at once. */
  onRecovered?: () => void;
}

export interface RetryBackoff {
  /** The delay before the next attempt (grows with each call). */
  next(): number;
  reset(): void;
}

export class BrokerLink {
  private readonly now: () => number;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly summaryEveryMs: number;
  private down: { since: number; attempts: number; lastError: string; summary: NodeJS.Timeout } | null = null;
  private readonly backoffs = new Set<{ reset(): void }>();

  constructor(private readonly opts: BrokerLinkOptions) {
    this.now = opts.now ?? Date.now;
    this.firstRetryMs = opts.firstRetryMs ?? 500;
    this.maxRetryMs = opts.maxRetryMs ?? 30_000;
    this.summaryEveryMs = opts.summaryEveryMs ?? 60_000;
  }

  get isDown(): boolean {
    return this.down !== null;
  }

  /** An exponential backoff for one user of the link (the receiver, the publisher); any success resets them all. */
  backoff(): RetryBackoff {
    let failures = 0;
    const b = {
      next: () => Math.min(this.maxRetryMs, this.firstRetryMs * 2 ** Math.min(30, failures++)),
      reset: () => {
        failures = 0;
      },
    };
    this.backoffs.add(b);
    return b;
  }

  /** An attempt to use the broker failed. Logs only the first failure of an outage. */
  failed(what: string, error: string): void {
    if (this.down) {
      this.down.attempts++;
      this.down.lastError = `${what}: ${error}`;
      return;
    }
    const summary = setInterval(() => {
      if (!this.down) return;
      this.opts.log(
        `still cannot reach the broker at ${this.opts.endpoint}: ${this.down.attempts} attempts since ${new Date(this.down.since).toISOString()} (last: ${this.down.lastError})`,
      );
    }, this.summaryEveryMs);
    summary.unref();
    this.down = { since: this.now(), attempts: 1, lastError: `${what}: ${error}`, summary };
    this.opts.log(
      `cannot reach the broker at ${this.opts.endpoint}: ${what}: ${error}; retrying with backoff (at most every ${duration(this.maxRetryMs)}), a summary every ${duration(this.summaryEveryMs)}`,
    );
  }

  /** An attempt succeeded (a message received, a batch published): logs the recovery once. */
  ok(): void {
    if (!this.down) return;
    for (const b of this.backoffs) b.reset();
    const { since, attempts, summary } = this.down;
    clearInterval(summary);
    this.down = null;
    this.opts.log(
      `reached the broker at ${this.opts.endpoint} again after ${attempts} failed attempts over ${duration(this.now() - since)}`,
    );
    this.opts.onRecovered?.();
  }

  close(): void {
    if (this.down) clearInterval(this.down.summary);
    this.down = null;
  }
}

const duration = (ms: number) =>
  ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
