/**
 * `npm run demo` plays to the end: the seed's oversell, the case on both desks, the reversal; then Lanyard's default,
 * where a seat in hand is sold offline at no risk.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm run demo', () => {
  it('ends with the supervisor’s reversal applied and every station agreeing', () => {
    const r = spawnSync('npx', ['tsx', 'tools/demo/cli.ts', '--no-color'], { encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const after = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(after('OVERSOLD  sale')).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('🔔 [supervisors] Oversold:'))).toHaveLength(2); // both desks hear of the case
    // Applied within the call, or (on a loaded machine) just after it; the demo waits for every station either way.
    const applied = lines.findIndex((l) =>
      /Sam reverses it with a PIN \(audited, sent to HQ\): (APPLIED|PENDING)/.test(l),
    );
    expect(applied).toBeGreaterThan(after('the case is open on both desks'));
    expect(
      lines.some((l) =>
        /HQ 10\/10 sold, 0 allotted, v\d+ \| desk A 10\/10 sold, 0 allotted, v\d+ \| desk B 10\/10 sold, 0 allotted, v\d+ — back to full/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(
      lines.filter(
        (l) =>
          l.includes('case reverse by station:desk-b') &&
          l.includes('holds 0 seat(s) in the panel; contact/refund list: 1 row(s)'),
      ),
    ).toHaveLength(2);
    // Act 2: A holds the last seat in hand; B's buyer is turned away; A sells it offline at no risk; nobody is over.
    const act2 = after('Act 2 — "');
    expect(act2).toBeGreaterThan(applied);
    expect(
      lines.findIndex((l) => l.includes("holds the last one: 9/10 sold, 1 in A's hands, 0 in the pool")),
    ).toBeGreaterThan(act2);
    expect(lines.some((l) => /desk-b .* wants a seat: (REFUSED|AWAITING)/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('tier allotment, no risk'))).toBe(true);
    expect(
      lines.some((l) =>
        /numbers for hand-panel: HQ 10\/10 sold, 0 allotted, v\d+ \| desk A 10\/10 sold, 0 allotted, v\d+ \| desk B 10\/10 sold, 0 allotted, v\d+ — full, nobody over/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.includes("desk A's sale from its hand: CONFIRMED"))).toBe(true);
  }, 120_000);
});
