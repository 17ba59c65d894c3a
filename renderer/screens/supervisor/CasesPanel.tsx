/**
 * The reconciliation inbox (DESIGN §8): open cases first with their whole story — who was sold what, where, when,
 * under which tier and on what numbers, how far over HQ says the session is, the deadline and HQ's default — and
 * the resolutions as one action each behind a supervisor's PIN. Resolved cases say what was decided, by whom and
 * when; a request another station beat says so. Waitlists and the CSV exports sit below.
 */
import { useState } from 'react';
import type { CaseResolutionOutcome, OversellCase, ResolutionAction, StaffSessionView } from '../../../core/api';
import type { AppError } from '../../../core/result';
import { ErrorNotice, Notice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { PinInput } from '../../components/PinInput';

const actions: ResolutionAction[] = ['honor', 'reverse', 'waitlist', 'refuse', 'move'];
const refreshOn = ['case.opened', 'notification'] as const;

export function CasesPanel({ me, onPerson }: { me: StaffSessionView; onPerson(id: string): void }) {
  const w = useWords();
  const all = useStation('cases.list', { status: 'all' }, { refreshOn: [...refreshOn], pollMs: 15_000 });
  const sessions = useStation('sessions.list', {});
  const titles = new Map((sessions.data ?? []).map((s) => [s.id, s.title]));
  const open = (all.data ?? [])
    .filter((c) => c.status === 'open')
    .sort((a, b) => (a.minutesLeft ?? Infinity) - (b.minutesLeft ?? Infinity));
  const resolved = (all.data ?? [])
    .filter((c) => c.status === 'resolved')
    .sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''));
  const caseSessions = [...new Set((all.data ?? []).map((c) => c.sessionId))];
  return (
    <section className="cases" aria-labelledby="cases-title">
      <h2 id="cases-title">{w.supervisor.cases.title}</h2>
      <p className="lead">{w.supervisor.cases.lead}</p>
      {all.error && <ErrorNotice error={all.error} />}
      {all.data && open.length === 0 && <Notice kind="ok">{w.supervisor.cases.none}</Notice>}
      <ul className="case-list">
        {open.map((c) => (
          <CaseCard
            key={c.id}
            c={c}
            me={me}
            title={titles.get(c.sessionId) ?? c.sessionId}
            sessions={(sessions.data ?? []).filter((s) => s.sellable && s.id !== c.sessionId)}
            onPerson={onPerson}
            onDone={all.reload}
          />
        ))}
      </ul>
      <h3>{w.supervisor.cases.resolvedTitle}</h3>
      {all.data && resolved.length === 0 && <p>{w.supervisor.cases.noneResolved}</p>}
      <ul className="case-list">
        {resolved.map((c) => (
          <CaseCard
            key={c.id}
            c={c}
            me={me}
            title={titles.get(c.sessionId) ?? c.sessionId}
            sessions={[]}
            onPerson={onPerson}
            onDone={all.reload}
          />
        ))}
      </ul>
      {caseSessions.map((id) => (
        <Waitlist key={id} sessionId={id} title={titles.get(id) ?? id} />
      ))}
      {me.role === 'supervisor' && <Exports />}
    </section>
  );
}

function CaseCard({
  c,
  me,
  title,
  sessions,
  onPerson,
  onDone,
}: {
  c: OversellCase;
  me: StaffSessionView;
  title: string;
  sessions: { id: string; title: string }[];
  onPerson(id: string): void;
  onDone(): void;
}) {
  const w = useWords();
  const cw = w.supervisor.cases;
  const call = useCall();
  const who = useStation('registrant.get', { id: c.registrantId });
  const staffList = useStation('staff.list', {});
  const supervisors = (staffList.data ?? []).filter((s) => s.role === 'supervisor');
  const [supervisorId, setSupervisorId] = useState(me.role === 'supervisor' ? me.staffId : '');
  const [pin, setPin] = useState('');
  const [note, setNote] = useState('');
  const [moveTo, setMoveTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [outcome, setOutcome] = useState<CaseResolutionOutcome | null>(null);
  const name = who.data ? `${who.data.firstName} ${who.data.lastName}`.trim() : c.registrantId;
  const station = c.soldHere ? cw.soldHere : w.common.stationName(c.station);

  async function resolve(action: ResolutionAction) {
    setBusy(true);
    setError(null);
    setOutcome(null);
    const r = await call('cases.resolve', {
      caseId: c.id,
      action,
      supervisor: { supervisorId: supervisorId || (supervisors[0]?.id ?? ''), pin },
      note,
      ...(action === 'move' ? { moveToSessionId: moveTo } : {}),
    });
    setBusy(false);
    if (r.ok) {
      setOutcome(r.value);
      setPin('');
      onDone();
    } else setError(r.error);
  }

  const age = c.basis?.stalenessMin === null || c.basis === null ? null : w.desk.sessions.ago(c.basis.stalenessMin);
  return (
    <li
      className={`case case-${c.status}${c.escalated && c.status === 'open' ? ' case-escalated' : ''}`}
      aria-label={`${name} — ${title}`}
    >
      <p className="case-head">
        <button type="button" className="link case-name" onClick={() => onPerson(c.registrantId)}>
          {name}
        </button>{' '}
        — <strong>{title}</strong>
        {c.overBy !== null && <span className="over-tag">{w.supervisor.board.over(c.overBy)}</span>}
      </p>
      <ul className="story">
        <li>{cw.soldBy(name, station, c.openedAt ? w.common.time(c.openedAt) : '—')}</li>
        {c.tier && <li>{cw.tier(cw.tiers[c.tier] ?? c.tier)}</li>}
        {c.basis && <li>{age === null ? cw.basisUnknown : cw.basis(c.basis.sold, c.basis.capacity, age)}</li>}
        {c.overBy !== null && <li>{cw.overBy(c.overBy)}</li>}
        {c.status === 'open' && c.dueAt && (
          <li className={c.minutesLeft !== null && c.minutesLeft < 15 ? 'warn-text' : ''}>
            {cw.due(w.common.time(c.dueAt), c.minutesLeft ?? 0)}
          </li>
        )}
        {c.status === 'open' && c.defaultAction && (
          <li>{cw.byDefault(cw.actionTo[c.defaultAction] ?? c.defaultAction)}</li>
        )}
        {c.status === 'open' && c.escalated && <li className="warn-text">{cw.escalated}</li>}
        {c.request && (
          <li>
            {cw.requested(
              cw.actionTo[c.request.action] ?? c.request.action,
              w.common.time(c.request.requestedAt),
              cw.requestStatus[c.request.status] ?? c.request.status,
            )}
            {c.request.answer && (c.request.status === 'lost' || c.request.status === 'refused')
              ? ` ${c.request.answer}`
              : ''}
          </li>
        )}
        {c.status === 'resolved' && c.resolution && (
          <li className="resolved-line">
            {cw.resolvedBy(
              cw.actionPast[c.resolution] ?? c.resolution,
              c.supervisorId ?? (c.resolvedBy ? w.common.stationName(c.resolvedBy) : '—'),
              c.resolvedAt ? w.common.time(c.resolvedAt) : '—',
            )}
            {c.resolvedBy && ` (${w.common.stationName(c.resolvedBy)})`}
            {c.note ? ` — “${c.note}”` : ''}
          </li>
        )}
      </ul>
      {outcome && (
        <Notice
          kind={outcome.outcome === 'applied' ? 'ok' : outcome.outcome === 'pending' ? 'info' : 'warn'}
          title={cw.outcome[outcome.outcome]}
        >
          <p>{outcome.message}</p>
        </Notice>
      )}
      {error && <ErrorNotice error={error} />}
      {c.status === 'open' && (
        <div className="resolve">
          <div className="resolve-auth">
            <label>
              {cw.supervisor}
              <select value={supervisorId} onChange={(e) => setSupervisorId(e.target.value)}>
                {!supervisorId && <option value="">—</option>}
                {supervisors.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {cw.pin}
              <PinInput value={pin} onChange={setPin} />
            </label>
            <label className="grow">
              {cw.note}
              <input type="text" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            </label>
          </div>
          <div className="actions">
            {actions
              .filter((a) => a !== 'move')
              .map((a) => (
                <button
                  key={a}
                  type="button"
                  className={a === c.defaultAction ? 'primary' : ''}
                  disabled={busy || !pin}
                  onClick={() => void resolve(a)}
                >
                  {cw.actions[a]}
                </button>
              ))}
            {sessions.length > 0 && (
              <span className="move">
                <label>
                  {cw.moveTo}
                  <select value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
                    <option value="">—</option>
                    {sessions.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.title}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" disabled={busy || !pin || !moveTo} onClick={() => void resolve('move')}>
                  {cw.actions.move}
                </button>
              </span>
            )}
          </div>
        </div>
      )}
    </li>
  );
}

function Waitlist({ sessionId, title }: { sessionId: string; title: string }) {
  const w = useWords();
  const list = useStation('waitlist.list', { sessionId }, { refreshOn: ['notification'] });
  if (!list.data || list.data.length === 0) return null;
  return (
    <section className="waitlist" aria-label={`${w.supervisor.cases.waitlist}: ${title}`}>
      <h3>
        {w.supervisor.cases.waitlist}: {title}
      </h3>
      <ol>
        {list.data.map((e) => (
          <li key={e.id}>
            {e.name ?? e.registrantId} · {w.common.stationName(e.station)}
            {e.status === 'promoted' && e.promotedAt ? ` · ✓ ${w.common.time(e.promotedAt)}` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The contact/refund list and every case, as CSV files downloaded by the browser (UTF-8 with a BOM). */
function Exports() {
  const w = useWords();
  const call = useCall();
  const [error, setError] = useState<AppError | null>(null);
  async function download(report: 'contacts' | 'cases') {
    setError(null);
    const r = await call('reports.export', { report });
    if (!r.ok) return setError(r.error);
    const url = URL.createObjectURL(new Blob([r.value.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return (
    <section className="exports" aria-labelledby="exports-title">
      <h3 id="exports-title">{w.supervisor.cases.exports}</h3>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" onClick={() => void download('contacts')}>
          {w.supervisor.cases.exportContacts}
        </button>
        <button type="button" onClick={() => void download('cases')}>
          {w.supervisor.cases.exportCases}
        </button>
      </div>
    </section>
  );
}
