/**
 * A keyboard-wedge scanner types its code as a burst of keys and an Enter. People type far slower, so a burst —
 * at least `minLength` keys, each within `maxGapMs` of the last, ending in Enter — is a scan, wherever the focus
 * is. The scan's keys are kept out of any text box they landed in.
 */
import { useEffect, useRef } from 'react';

export interface ScannerOptions {
  enabled?: boolean;
  minLength?: number;
  maxGapMs?: number;
}

export function useScanner(onScan: (code: string) => void, o: ScannerOptions = {}): void {
  const f = useRef(onScan);
  f.current = onScan;
  const enabled = o.enabled ?? true;
  const minLength = o.minLength ?? 6;
  const maxGapMs = o.maxGapMs ?? 35;
  useEffect(() => {
    if (!enabled) return;
    let buf = '';
    let last = 0;
    let target: EventTarget | null = null;
    let typedInto = 0;
    const onKey = (e: KeyboardEvent) => {
      const now = performance.now();
      const gap = now - last;
      if (e.key === 'Enter') {
        if (buf.length >= minLength && gap <= maxGapMs * 3) {
          e.preventDefault();
          e.stopPropagation();
          const code = buf;
          // Take the burst back out of the text box it typed into.
          if (target instanceof HTMLInputElement && typedInto > 0) {
            const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
            setter.call(target, target.value.slice(0, Math.max(0, target.value.length - typedInto)));
            target.dispatchEvent(new Event('input', { bubbles: true }));
          }
          buf = '';
          typedInto = 0;
          f.current(code);
          return;
        }
        buf = '';
        typedInto = 0;
        return;
      }
      if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
      if (gap > maxGapMs) {
        buf = '';
        typedInto = 0;
        target = e.target;
      }
      buf += e.key;
      last = now;
      if (e.target instanceof HTMLInputElement) typedInto++;
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled, minLength, maxGapMs]);
}
