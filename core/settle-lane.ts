/**
 * A lane for settling bus messages: completions run side by side, every other settlement (dead-letter, abandon)
 * runs alone, with nothing else in flight.
 *
 * Why: rhea 3.0.5 (under @azure/service-bus) batches the dispositions issued in one tick into ranges, and it
 * joins the first two consecutive deliveries of a batch into one range without comparing their outcomes
 * (`write_dispositions` in rhea/lib/session.js). A dead-letter right after a completion is then sent as a
 * completion, and a completion after an abandon as an abandon: a bad message silently completed, a good one
 * dead-lettered, an abandoned one lost. Completions batch correctly with each other, so only the others need to
 * be alone; they are rare (poison messages, local failures), so this costs nothing in the common case.
 * tests/sync/settle-lane.test.ts shows the fault with the raw SDK and its absence through the lane.
 */
export interface SettleLane {
  /** Runs a completion; it may overlap other completions. */
  shared<T>(settle: () => Promise<T>): Promise<T>;
  /** Runs any other settlement once nothing else is in flight, and holds the lane until it is acknowledged. */
  alone<T>(settle: () => Promise<T>): Promise<T>;
}

export function settleLane(): SettleLane {
  let sharing = 0;
  let exclusive = false;
  // FIFO: a waiting exclusive settlement holds back completions that come after it, so it cannot starve.
  const waiting: { alone: boolean; go: () => void }[] = [];

  const admit = () => {
    while (waiting.length > 0 && !exclusive) {
      const next = waiting[0]!;
      if (next.alone) {
        if (sharing > 0) return;
        waiting.shift();
        exclusive = true;
        next.go();
        return;
      }
      waiting.shift();
      sharing++;
      next.go();
    }
  };

  const run = async <T>(alone: boolean, settle: () => Promise<T>): Promise<T> => {
    await new Promise<void>((go) => {
      waiting.push({ alone, go });
      admit();
    });
    try {
      return await settle();
    } finally {
      if (alone) exclusive = false;
      else sharing--;
      admit();
    }
  };

  return { shared: (s) => run(false, s), alone: (s) => run(true, s) };
}
