/** New cases, lost or refused resolutions and escalations as toasts on every tab of the console (and announced); each goes after 12 s. */
import { useEffect, useState } from 'react';
import type { StationEventOf } from '../../../core/events';
import { useWords } from '../../i18n/i18n';
import { useStationEvent } from '../../station';

const loud = new Set(['case.opened', 'case.escalated', 'resolution.lost', 'resolution.refused']);

export function Toasts({ onCase }: { onCase(): void }) {
  const w = useWords();
  const [items, setItems] = useState<(StationEventOf<'notification'> & { key: number })[]>([]);
  useStationEvent(['notification'], (e) => {
    if (e.type !== 'notification' || !loud.has(e.kind)) return;
    setItems((xs) => [{ ...e, key: Date.now() + Math.random() }, ...xs].slice(0, 4));
  });
  // A toast points at the inbox and goes by itself: the Cases tab keeps the count, and nothing stays covered.
  useEffect(() => {
    if (items.length === 0) return;
    const timer = setTimeout(() => setItems((xs) => xs.slice(0, -1)), 12_000);
    return () => clearTimeout(timer);
  }, [items]);
  if (items.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {items.map((t) => (
        <div
          key={t.key}
          className={`toast toast-${t.kind === 'case.opened' || t.kind === 'case.escalated' ? 'warn' : 'bad'}`}
        >
          <button type="button" className="link toast-title" onClick={onCase}>
            {t.title}
          </button>
          <p>{t.message}</p>
          <button type="button" className="link" onClick={() => setItems((xs) => xs.filter((x) => x.key !== t.key))}>
            {w.supervisor.toast.close}
          </button>
        </div>
      ))}
    </div>
  );
}
