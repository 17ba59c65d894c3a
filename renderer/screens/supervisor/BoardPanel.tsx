/**
 * The availability board: every session as one bar — sold, held by other stations, held here, free — with HQ's
 * numbers' age, how far over an oversold session is, and what this desk may do now (the sale policy's own verdict
 * from `sessions.board`). Sessions starting soon come first; it repaints on every feed update.
 */
import { memo } from 'react';
import type { BoardSession } from '../../../core/api';
import { ErrorNotice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useStation } from '../../station';

export function BoardPanel() {
  const w = useWords();
  // Repainted when seat numbers change; ages and verdicts that move with the clock alone catch up every 15 s. (Each
  // event type listed is one more fetch per feed message: a heartbeat would fetch the board a second time.)
  const board = useStation(
    'sessions.board',
    {},
    { refreshOn: ['availability.changed', 'case.opened', 'sale.decided'], pollMs: 15_000 },
  );
  return (
    <section className="board" aria-labelledby="board-title">
      <h2 id="board-title">{w.supervisor.board.title}</h2>
      <p className="lead">{w.supervisor.board.lead}</p>
      <Legend />
      {board.error && <ErrorNotice error={board.error} />}
      <ul className="board-list">
        {board.data?.sessions.map((s) => (
          <BoardRow key={s.id} s={s} sig={JSON.stringify(s)} />
        ))}
      </ul>
    </section>
  );
}

function Legend() {
  const b = useWords().supervisor.board;
  return (
    <p className="legend" aria-hidden="true">
      <span className="sw sw-sold" /> {b.sold} <span className="sw sw-allotted" /> {b.allotted}{' '}
      <span className="sw sw-here" /> {b.here} <span className="sw sw-free" /> {b.free}
    </p>
  );
}

/** A row repaints only when its own session changed: a feed update touches one session of 200. */
export const BoardRow = memo(
  function BoardRow({ s }: { s: BoardSession; sig: string }) {
    const w = useWords();
    const b = w.supervisor.board;
    const scale = Math.max(s.capacity, s.sold + s.allotted, 1);
    const pct = (n: number) => `${(Math.max(0, n) / scale) * 100}%`;
    const others = Math.max(0, s.allotted - s.heldHere);
    const numbers = b.numbers(s.sold, s.capacity, s.allotted, s.heldHere, s.free);
    return (
      <li className={`board-row phase-${s.phase}${s.over > 0 ? ' is-over' : ''}`} data-session={s.id}>
        <div className="board-title">
          <p className="session-title">{s.title}</p>
          <p className="session-when">
            {w.common.time(s.startsAt)} · {s.room} · {b.phase[s.phase]}
          </p>
        </div>
        <div className="board-bar-cell">
          <div className="stack" role="img" aria-label={numbers}>
            <span className="seg seg-sold" style={{ width: pct(s.sold) }} />
            <span className="seg seg-allotted" style={{ width: pct(others) }} />
            <span className="seg seg-here" style={{ width: pct(s.heldHere) }} />
            <span className="seg seg-free" style={{ width: pct(s.free) }} />
            {s.over > 0 && <span className="cap-line" style={{ left: pct(s.capacity) }} />}
          </div>
          <p className="board-numbers">
            {numbers}
            {s.over > 0 && <span className="over-tag">{b.over(s.over)}</span>}
            {s.openCases > 0 && <span className="case-tag">{b.cases(s.openCases)}</span>}
          </p>
        </div>
        <div className="board-verdict">
          <p className={s.ageMin !== null && s.ageMin > 5 ? 'freshness warn' : 'freshness'}>{b.age(s.ageMin)}</p>
          {s.verdict === null ? (
            <p className="verdict-tag">{b.included}</p>
          ) : s.verdict.state === 'full' ? (
            <p className="verdict-tag may-not">✕ {w.consoleSetup.boardFull}</p>
          ) : s.verdict.state === 'may' ? (
            <p className="verdict-tag may">
              ✓{' '}
              {s.verdict.tier === 'online'
                ? w.consoleSetup.boardOnline
                : b.may(s.verdict.tier ? w.supervisor.cases.tiers[s.verdict.tier]! : '')}
            </p>
          ) : (
            <p className="verdict-tag may-not" title={s.verdict.failed.map((f) => w.failed(f)).join('; ')}>
              ✕ {b.mayNot}
              <span className="verdict-why">{s.verdict.failed.map((f) => w.failed(f)).join('; ')}</span>
            </p>
          )}
          {s.pendingHere > 0 && <p className="freshness">{b.pending(s.pendingHere)}</p>}
        </div>
      </li>
    );
  },
  // `sig` is the row's data as text, made once per read: one comparison of strings per row, not two serialisations.
  (a, b) => a.sig === b.sig,
);
