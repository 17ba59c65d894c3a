import { useEffect, useRef, useState } from 'react';

/** Calls `onIdle` after `ms` without a touch, key or pointer move; `warning` turns true `warnMs` before. */
export function useIdle(ms: number, onIdle: () => void, enabled = true, warnMs = 10_000): { warning: boolean } {
  const f = useRef(onIdle);
  f.current = onIdle;
  const [warning, setWarning] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let idle: ReturnType<typeof setTimeout>;
    let warn: ReturnType<typeof setTimeout>;
    const arm = () => {
      clearTimeout(idle);
      clearTimeout(warn);
      setWarning(false);
      warn = setTimeout(() => setWarning(true), Math.max(0, ms - warnMs));
      idle = setTimeout(() => {
        setWarning(false);
        f.current();
      }, ms);
    };
    const events = ['pointerdown', 'keydown', 'pointermove', 'wheel', 'touchstart'] as const;
    events.forEach((e) => window.addEventListener(e, arm, { passive: true }));
    arm();
    return () => {
      clearTimeout(idle);
      clearTimeout(warn);
      events.forEach((e) => window.removeEventListener(e, arm));
    };
  }, [ms, enabled, warnMs]);
  return { warning };
}
