/**
 * New cases, lost or refused resolutions and escalations as toasts on every tab of the console (and announced); each
 * goes after 12 s. Worded from the catalogue with the notification's `params`; the station's English title and message
 * only for a notification that carries none.
 */
import { useEffect, useState } from 'react';
import type { StationEventOf } from '../../../core/events';
import type { Words } from '../../i18n/en';
import { useWords } from '../../i18n/i18n';
import { useStationEvent } from '../../station';

type Note = StationEventOf<'notification'>;

/** The toast's title and text in the screen's language. */
export function toastWords(w: Words, n: Note): { title: string; text: string } {
  const t = w.consoleSetup.toasts;
  const p = n.params ?? {};
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : null);
  const session = str('session');
  const person = str('person');
  if (session === null || person === null) return { title: n.title, text: n.message };
  const action = t.actions[str('action') ?? ''] ?? str('action') ?? '';
  switch (n.kind) {
    case 'case.opened':
      return {
        title: t.caseOpened(session),
        text: t.caseOpenedText(person, str('station'), Number(p.overBy ?? 1), str('due') ?? ''),
      };
    case 'case.escalated':
      return { title: t.caseEscalated(session), text: t.caseEscalatedText(person, str('due') ?? '') };
    case 'resolution.lost':
      return {
        title: t.notApplied(action, session),
        // HQ's reason for a request it turned down comes in HQ's words.
        text: str('by') === null ? n.message : t.lostText(person, str('by')!),
      };
    case 'resolution.refused':
      return { title: t.notApplied(action, session), text: t.refusedText(str('reason') ?? '') };
    default:
      return { title: n.title, text: n.message };
  }
}

const loud = new Set(['case.opened', 'case.escalated', 'resolution.lost', 'resolution.refused']);

export function Toasts({ onCase }: { onCase(): void }) {
  const w = useWords();
  const [items, setItems] = useState<(Note & { key: number })[]>([]);
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
      {items.map((t) => {
        const words = toastWords(w, t);
        return (
          <div
            key={t.key}
            className={`toast toast-${t.kind === 'case.opened' || t.kind === 'case.escalated' ? 'warn' : 'bad'}`}
          >
            <button type="button" className="link toast-title" onClick={onCase}>
              {words.title}
            </button>
            <p>{words.text}</p>
            <button type="button" className="link" onClick={() => setItems((xs) => xs.filter((x) => x.key !== t.key))}>
              {w.supervisor.toast.close}
            </button>
          </div>
        );
      })}
    </div>
  );
}
