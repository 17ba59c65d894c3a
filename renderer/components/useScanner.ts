/**
 * A keyboard-wedge scanner types its code as keys and an Enter. Where the focus is not in a text box, any run of
 * keys ending in Enter is a scan (nothing else types there). In a text box a scan must also be a burst — keys far
 * faster than people type (median gap ≤ 35 ms; a USB hiccup of up to 150 ms is tolerated) — and its keys are
 * taken back out of the box.
 */
import { useEffect, useRef } from 'react';

export interface ScannerOptions {
  enabled?: boolean;
  minLength?: number;
}

const BURST_MEDIAN_MS = 35;
const BURST_MAX_GAP_MS = 150;
const PAUSE_MS = 2000;

const editable = (t: EventTarget | null) =>
  t instanceof HTMLInputElement ||
  t instanceof HTMLTextAreaElement ||
  t instanceof HTMLSelectElement ||
  (t instanceof HTMLElement && t.isContentEditable);

export function useScanner(onScan: (code: string) => void, o: ScannerOptions = {}): void {
  const f = useRef(onScan);
  f.current = onScan;
  const enabled = o.enabled ?? true;
  const minLength = o.minLength ?? 6;
  useEffect(() => {
    if (!enabled) return;
    let keys: { ch: string; at: number; inBox: boolean }[] = [];
    let box: HTMLInputElement | null = null;
    const onKey = (e: KeyboardEvent) => {
      const now = performance.now();
      const last = keys.at(-1);
      if (last && now - last.at > (last.inBox ? BURST_MAX_GAP_MS : PAUSE_MS)) keys = [];
      if (e.key === 'Enter') {
        const run = keys;
        keys = [];
        if (run.length < minLength) return;
        const inBox = run.some((k) => k.inBox);
        if (inBox) {
          const gaps = run
            .slice(1)
            .map((k, i) => k.at - run[i]!.at)
            .sort((a, b) => a - b);
          if ((gaps[Math.floor(gaps.length / 2)] ?? 0) > BURST_MEDIAN_MS) return; // a person typing: their Enter
        }
        e.preventDefault();
        e.stopPropagation();
        const typed = run.filter((k) => k.inBox).length;
        if (box && typed > 0) {
          // Take the scan back out of the text box it typed into.
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          setter.call(box, box.value.slice(0, Math.max(0, box.value.length - typed)));
          box.dispatchEvent(new Event('input', { bubbles: true }));
        }
        f.current(run.map((k) => k.ch).join(''));
        return;
      }
      if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
      const inBox = editable(e.target);
      if (inBox && e.target instanceof HTMLInputElement) box = e.target;
      keys.push({ ch: e.key, at: now, inBox });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled, minLength]);
}
