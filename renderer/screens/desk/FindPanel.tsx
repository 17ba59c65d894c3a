/** Find a person (type or scan), see their badge and sessions, print or reprint (with a reason), release a seat. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RegistrantSummary } from '../../../core/api';
import type { PrintJobView } from '../../../core/badge/views';
import type { AppError } from '../../../core/result';
import { BadgeImage } from '../../components/BadgeImage';
import { ErrorNotice, Notice } from '../../components/Notice';
import { useScanner } from '../../components/useScanner';
import type { Words } from '../../i18n/en';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { fullName, useTypedQuery } from '../kiosk/KioskScreen';
import { signedOutBy } from './common';
import {
  ChangeTicketDialog,
  PaymentsList,
  ReceiptDialog,
  ReleaseSeatDialog,
  ReverseDialog,
  SettleDialog,
  SwapSeatDialog,
  TransferDialog,
} from './PersonActions';

/** The dialog open on a registrant's card. */
type Open =
  | { kind: 'settle' | 'change' | 'transfer' | 'receipt' }
  | { kind: 'release' | 'swap'; sessionId: string }
  | { kind: 'reverse'; paymentId: string; reverse: 'void' | 'refund' };

/** What the desk sees at a glance in a result: standing (when not paid), badge, check-in. */
export function stateWords(
  w: Words,
  r: Pick<RegistrantSummary, 'status' | 'printed' | 'needsReprint' | 'checkedIn'>,
): string[] {
  return [
    ...(r.status !== 'paid' ? [w.desk.state.status[r.status]] : []),
    ...(r.needsReprint ? [w.desk.state.needsReprint] : r.printed ? [w.desk.state.printed] : []),
    ...(r.checkedIn ? [w.desk.state.checkedIn] : []),
  ];
}

export function FindPanel({
  person,
  onPerson,
  onAddSession,
  onSignedOut,
}: {
  person: string | null;
  onPerson(id: string | null): void;
  onAddSession(id: string): void;
  onSignedOut(): void;
}) {
  const w = useWords();
  const call = useCall();
  const [query, setQuery] = useState('');
  const q = useTypedQuery(query.trim());
  const results = useStation('registrant.search', q.length >= 2 ? { query: q, limit: 12 } : null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  // A badge (LY1|conference|registrant|…) or a confirmation code, scanned anywhere on this screen.
  useScanner(async (code) => {
    const badge = /^LY\d\|[^|]*\|([^|]+)\|/.exec(code);
    if (badge) return onPerson(badge[1]!);
    const r = await call('registrant.search', { query: code, limit: 2 });
    if (r.ok && r.value.length === 1) onPerson(r.value[0]!.id);
    else setQuery(code);
  });
  return (
    <div className="split">
      <section className="find" aria-labelledby="find-title">
        <h2 id="find-title" className="visually-hidden">
          {w.desk.tabs.find}
        </h2>
        <label htmlFor="desk-query">{w.desk.searchLabel}</label>
        <input
          id="desk-query"
          ref={input}
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {!q && !person && <p className="hint">{w.desk.selectHint}</p>}
        {results.data && (
          <ul className="results compact" aria-label={w.kiosk.results(results.data.length)}>
            {results.data.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className={`result ${r.id === person ? 'chosen' : ''}`}
                  aria-pressed={r.id === person}
                  onClick={() => onPerson(r.id)}
                >
                  <span className="result-name">{fullName(r)}</span>
                  <span className="result-more">
                    {[r.company, r.confirmationCode, r.ticketTypeName].filter(Boolean).join(' · ')}
                  </span>
                  <span className="result-state">{stateWords(w, r).join(' · ')}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {results.data?.length === 0 && <p>{w.kiosk.noResults}</p>}
      </section>
      {person && (
        <Person id={person} onAddSession={onAddSession} onSignedOut={onSignedOut} onChanged={results.reload} />
      )}
    </div>
  );
}

function Person({
  id,
  onAddSession,
  onSignedOut,
  onChanged,
}: {
  id: string;
  onAddSession(id: string): void;
  onSignedOut(): void;
  /** A change here (settled, ticket, name) alters what the search results say. */
  onChanged(): void;
}) {
  const w = useWords();
  const call = useCall();
  const detail = useStation(
    'registrant.get',
    { id },
    { refreshOn: ['print.job', 'sale.decided', 'availability.changed'] },
  );
  const preview = useStation('badge.preview', { registrantId: id }, { refreshOn: ['print.job'] });
  const [job, setJob] = useState<PrintJobView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [reprinting, setReprinting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Open | null>(null);
  const [changed, setChanged] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const [corrected, setCorrected] = useState(false);
  useEffect(
    () => (
      setJob(null),
      setError(null),
      setReprinting(false),
      setOpen(null),
      setChanged(false),
      setCorrecting(false),
      setCorrected(false)
    ),
    [id],
  );
  const p = detail.data;
  if (detail.error) return <ErrorNotice error={detail.error} />;
  if (!p) return <p className="loading">{w.common.loading}</p>;

  async function print(reason?: string) {
    setBusy(true);
    setError(null);
    const r = await call('badge.print', { registrantId: id, ...(reason ? { reason } : {}) });
    setBusy(false);
    if (!r.ok) {
      if (signedOutBy(r.error)) return onSignedOut();
      return setError(r.error);
    }
    setJob(r.value);
    setReprinting(false);
    detail.reload();
  }
  const close = () => setOpen(null);
  const done = () => (setOpen(null), setChanged(true), detail.reload(), onChanged());

  return (
    <section className="person" aria-labelledby="person-name">
      <h2 id="person-name">{fullName(p)}</h2>
      {p.status !== 'paid' && (
        <Notice kind={p.status === 'pending' ? 'warn' : 'error'} title={w.desk.state.status[p.status]}>
          {p.statusNote && <p>{p.statusNote}</p>}
        </Notice>
      )}
      {p.needsReprint && <Notice kind="warn" title={w.desk.state.needsReprint} />}
      <dl className="facts">
        <dt>{w.desk.company}</dt>
        <dd>{p.company || '—'}</dd>
        <dt>{w.desk.ticket}</dt>
        <dd>{p.ticketTypeName}</dd>
        <dt>{w.desk.code}</dt>
        <dd>{p.confirmationCode}</dd>
        <dt>{w.desk.email}</dt>
        <dd>{p.email || '—'}</dd>
        <dt>{w.desk.badge}</dt>
        <dd>
          {p.lastPrint
            ? w.desk.printedAt(w.common.stationName(p.lastPrint.station), w.common.time(p.lastPrint.printedAt))
            : w.desk.notPrinted}
        </dd>
      </dl>
      <div className="person-body">
        <div className="preview-frame small">
          {preview.data && <BadgeImage preview={preview.data} label={w.kiosk.preview(fullName(p))} />}
        </div>
        <div>
          <h3>{w.desk.sessionsOf}</h3>
          {p.sessions.length === 0 ? (
            <p>{w.desk.noSessions}</p>
          ) : (
            <ul className="sessions-of">
              {p.sessions.map((s) => (
                <li key={s.sessionId}>
                  {s.title}
                  <span className="session-when"> · {w.deskDay.seat.when(w.common.time(s.startsAt), s.room)}</span>
                  {s.sale && s.sale.status === 'pending' && (
                    <span className="unconfirmed"> · {w.deskDay.seat.unconfirmed}</span>
                  )}
                  <span className="row-actions">
                    <button
                      type="button"
                      className="link"
                      aria-label={`${w.deskDay.seat.swap}: ${s.title}`}
                      onClick={() => setOpen({ kind: 'swap', sessionId: s.sessionId })}
                    >
                      {w.deskDay.seat.swap}
                    </button>
                    <button
                      type="button"
                      className="link"
                      aria-label={`${w.desk.release}: ${s.title}`}
                      onClick={() => setOpen({ kind: 'release', sessionId: s.sessionId })}
                    >
                      {w.desk.release}
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <h3>{w.deskDay.pay.title}</h3>
      {p.paid && <p>{w.deskDay.pay.paid(w.deskDay.money(p.paid))}</p>}
      <PaymentsList p={p} onReverse={(paymentId, reverse) => setOpen({ kind: 'reverse', paymentId, reverse })} />
      {changed && <Notice kind="ok" title={w.deskDay.saved} />}
      {job && (
        <Notice
          kind={job.status === 'printed' ? 'ok' : job.status === 'failed' ? 'error' : 'warn'}
          title={w.desk.jobOutcome[job.status]}
        >
          {job.words && <p>{job.words}</p>}
        </Notice>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        {p.status === 'pending' && (
          <button type="button" className="primary" onClick={() => setOpen({ kind: 'settle' })}>
            {w.deskDay.settle.open}
          </button>
        )}
        {!p.lastPrint && (
          <button type="button" className="primary" disabled={busy} onClick={() => void print()}>
            {w.desk.printBadge}
          </button>
        )}
        {p.lastPrint && !reprinting && (
          <button type="button" className="secondary" onClick={() => setReprinting(true)}>
            {w.desk.reprint}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => onAddSession(id)}>
          {w.desk.addSession}
        </button>
        {!correcting && (
          <button type="button" className="secondary" onClick={() => (setCorrecting(true), setCorrected(false))}>
            {w.desk.correct.open}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => setOpen({ kind: 'change' })}>
          {w.deskDay.change.open}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen({ kind: 'transfer' })}>
          {w.deskDay.transfer.open}
        </button>
        {p.payments.length > 0 && (
          <button type="button" className="secondary" onClick={() => setOpen({ kind: 'receipt' })}>
            {w.deskDay.receipt.open}
          </button>
        )}
      </div>
      {open?.kind === 'settle' && <SettleDialog p={p} onDone={done} onClose={close} />}
      {open?.kind === 'change' && <ChangeTicketDialog p={p} onDone={done} onClose={close} />}
      {open?.kind === 'transfer' && <TransferDialog p={p} onDone={done} onClose={close} />}
      {open?.kind === 'receipt' && <ReceiptDialog p={p} onClose={close} />}
      {open?.kind === 'release' && <ReleaseSeatDialog p={p} sessionId={open.sessionId} onDone={done} onClose={close} />}
      {open?.kind === 'swap' && <SwapSeatDialog p={p} sessionId={open.sessionId} onDone={done} onClose={close} />}
      {open?.kind === 'reverse' && (
        <ReverseDialog p={p} paymentId={open.paymentId} kind={open.reverse} onDone={done} onClose={close} />
      )}
      {corrected && <Notice kind="ok" title={w.desk.correct.saved} />}
      {correcting && (
        <CorrectForm
          person={p}
          onDone={() => (setCorrecting(false), setCorrected(true), detail.reload(), onChanged())}
          onCancel={() => setCorrecting(false)}
          onSignedOut={onSignedOut}
        />
      )}
      {reprinting && (
        <ReprintReason busy={busy} onReprint={(reason) => void print(reason)} onCancel={() => setReprinting(false)} />
      )}
    </section>
  );
}

export function ReprintReason({
  busy,
  onReprint,
  onCancel,
}: {
  busy: boolean;
  onReprint(reason: string): void;
  onCancel(): void;
}) {
  const w = useWords();
  const [reason, setReason] = useState('');
  const [other, setOther] = useState('');
  const text = reason === 'other' ? other.trim() : reason;
  return (
    <fieldset className="reprint">
      <legend>{w.common.reason}</legend>
      {w.desk.reprintReasons.map((r) => (
        <label key={r} className="radio">
          <input type="radio" name="reprint-reason" value={r} checked={reason === r} onChange={() => setReason(r)} />{' '}
          {r}
        </label>
      ))}
      <label className="radio">
        <input
          type="radio"
          name="reprint-reason"
          value="other"
          checked={reason === 'other'}
          onChange={() => setReason('other')}
        />{' '}
        {w.desk.otherReason}
      </label>
      {reason === 'other' && (
        <input
          aria-label={w.desk.otherReason}
          value={other}
          maxLength={500}
          onChange={(e) => setOther(e.target.value)}
        />
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={!text || busy} onClick={() => onReprint(text)}>
          {w.desk.reprint}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {w.common.cancel}
        </button>
      </div>
    </fieldset>
  );
}

const correctable = ['firstName', 'lastName', 'company', 'email'] as const;

/** Fix a misspelt name or company before (or after) printing: only the fields changed are sent, with a reason. */
function CorrectForm({
  person,
  onDone,
  onCancel,
  onSignedOut,
}: {
  person: Pick<RegistrantSummary, (typeof correctable)[number] | 'id'>;
  onDone(): void;
  onCancel(): void;
  onSignedOut(): void;
}) {
  const w = useWords();
  const call = useCall();
  const [form, setForm] = useState(
    () => Object.fromEntries(correctable.map((f) => [f, person[f]])) as Record<(typeof correctable)[number], string>,
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const labels = {
    firstName: w.desk.walkup.first,
    lastName: w.desk.walkup.last,
    company: w.desk.company,
    email: w.desk.email,
  };
  const changes = Object.fromEntries(
    correctable.filter((f) => form[f].trim() !== person[f]).map((f) => [f, form[f].trim()]),
  );
  async function save(e: FormEvent) {
    e.preventDefault();
    const r = await call('registrant.correct', { registrantId: person.id, changes, reason: reason.trim() });
    if (!r.ok) {
      if (signedOutBy(r.error)) return onSignedOut();
      return setError(r.error);
    }
    onDone();
  }
  return (
    <form className="correct" aria-labelledby="correct-title" onSubmit={save} noValidate>
      <h3 id="correct-title">{w.desk.correct.title}</h3>
      {correctable.map((f) => (
        <div className="field" key={f}>
          <label htmlFor={`correct-${f}`}>{labels[f]}</label>
          <input
            id={`correct-${f}`}
            value={form[f]}
            maxLength={f === 'email' ? 254 : 200}
            autoFocus={f === 'firstName'}
            onChange={(e) => setForm({ ...form, [f]: e.target.value })}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor="correct-reason">{w.desk.correct.reason}</label>
        <input id="correct-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={Object.keys(changes).length === 0}>
          {w.desk.correct.save}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {w.common.cancel}
        </button>
      </div>
    </form>
  );
}
