import type { AvailabilityView } from '../../core/api';
import { useWords } from '../i18n/i18n';

/** Seats left as a bar (with the number in words for everyone who cannot see the bar). */
export function SeatsBar({ a }: { a: AvailabilityView }) {
  const w = useWords();
  const left = Math.max(0, a.capacity - a.sold - a.allotted);
  const ratio = a.capacity > 0 ? left / a.capacity : 0;
  const tone = ratio === 0 ? 'full' : ratio < 0.1 ? 'low' : 'ok';
  return (
    <div className="seats">
      <div
        className={`bar bar-${tone}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={a.capacity}
        aria-valuenow={left}
        aria-label={w.desk.sessions.seatsLeft(left, a.capacity)}
      >
        <span style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
      <span className="seats-words">
        {w.desk.sessions.seatsLeft(left, a.capacity)}
        {a.allotmentRemaining > 0 && ` · ${w.desk.sessions.inHand(a.allotmentRemaining)}`}
      </span>
    </div>
  );
}
