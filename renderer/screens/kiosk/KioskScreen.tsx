/**
 * The kiosk: used once, by a stranger in a hurry (STYLE 12). Find yourself (type or scan), confirm it is you with
 * the badge as it will print, print, take it. The printer's real outcome decides what the screen says; a job that
 * may or may not have printed asks staff and is never printed again by itself; a badge already printed — here or
 * anywhere the station heard of — sends the attendee to the desk. Goes back to the start when left alone.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RegistrantDetail, RegistrantSummary } from '../../../core/api';
import { blocksSelfPrint, type PrintJobView } from '../../../core/badge/views';
import type { AppError, ConflictDetails } from '../../../core/result';
import { BadgeImage } from '../../components/BadgeImage';
import { Header } from '../../components/Header';
import { ErrorNotice, Notice } from '../../components/Notice';
import { SignIn } from '../../components/SignIn';
import { useIdle } from '../../components/useIdle';
import { useScanner } from '../../components/useScanner';
import { useWords } from '../../i18n/i18n';
import { useCall, useSettings, useStation, useStationEvent } from '../../station';

type Step =
  | { at: 'search' }
  | { at: 'confirm'; id: string }
  | { at: 'printing'; id: string }
  | { at: 'printed'; job: PrintJobView }
  | { at: 'failed'; job: PrintJobView }
  | { at: 'uncertain'; job: PrintJobView; staff: boolean }
  | { at: 'already'; station: string; printedAt: string }
  | { at: 'desk' }
  | { at: 'error'; error: AppError };

export function KioskScreen() {
  const settings = useSettings();
  const [step, setStep] = useState<Step>({ at: 'search' });
  const [query, setQuery] = useState('');
  const reset = useCallback(() => {
    setQuery('');
    setStep({ at: 'search' });
  }, []);
  // An uncertain job waits for staff, whoever stands there; everything else starts over when left alone.
  const { warning } = useIdle(
    settings.kioskIdleSec * 1000,
    reset,
    step.at !== 'search' && step.at !== 'uncertain' && step.at !== 'printing',
  );
  const w = useWords();
  return (
    <>
      <Header />
      <main className="kiosk" id="main">
        {step.at === 'search' && (
          <Search query={query} setQuery={setQuery} onChoose={(id) => setStep({ at: 'confirm', id })} />
        )}
        {step.at === 'confirm' && <Confirm id={step.id} onBack={reset} onStep={setStep} />}
        {step.at === 'printing' && <Printing />}
        {step.at === 'printed' && <Printed onDone={reset} />}
        {step.at === 'failed' && (
          <Outcome title={w.kiosk.failedTitle} kind="error" onDone={reset}>
            <p>{w.kiosk.failedBody}</p>
          </Outcome>
        )}
        {step.at === 'uncertain' && <Uncertain job={step.job} onDone={reset} />}
        {step.at === 'already' && (
          <Outcome title={w.kiosk.alreadyTitle} kind="warn" onDone={reset}>
            <p>{w.kiosk.alreadyBody(w.common.stationName(step.station), w.common.time(step.printedAt))}</p>
          </Outcome>
        )}
        {step.at === 'desk' && (
          <Outcome title={w.kiosk.needsDesk} kind="warn" onDone={reset}>
            <p>{w.kiosk.goToDesk}</p>
          </Outcome>
        )}
        {step.at === 'error' && (
          <Outcome title={w.errors[step.error.code]} kind="error" onDone={reset}>
            <p>{w.kiosk.goToDesk}</p>
          </Outcome>
        )}
        {warning && (
          <p className="idle-warning" role="status">
            {w.kiosk.stillThere}
          </p>
        )}
      </main>
    </>
  );
}

function Search({
  query,
  setQuery,
  onChoose,
}: {
  query: string;
  setQuery(q: string): void;
  onChoose(id: string): void;
}) {
  const w = useWords();
  const call = useCall();
  const input = useRef<HTMLInputElement>(null);
  const q = useTypedQuery(query.trim());
  const results = useStation('registrant.search', q.length >= 2 ? { query: q, limit: 8 } : null);
  // A scanned confirmation code (or badge) goes straight to the person when it names exactly one.
  useScanner(async (code) => {
    setQuery('');
    const r = await call('registrant.search', { query: code.replace(/^LY\d\|[^|]*\|([^|]+)\|.*$/, '$1'), limit: 2 });
    if (r.ok && r.value.length === 1) onChoose(r.value[0]!.id);
    else setQuery(code);
  });
  useEffect(() => input.current?.focus(), []);
  const list = q.length >= 2 ? results.data : undefined;
  // Which query the shown results answer (they may lag a fast typist by a keystroke); a benchmark reads it too.
  const answered = results.for ? (JSON.parse(results.for) as { query: string }).query : '';
  return (
    <section className="kiosk-search" aria-labelledby="kiosk-title">
      <h1 id="kiosk-title">{w.kiosk.welcome}</h1>
      <p className="lead">{w.kiosk.lead}</p>
      <label className="big-label" htmlFor="kiosk-query">
        {w.kiosk.searchLabel}
      </label>
      <input
        id="kiosk-query"
        ref={input}
        className="big-input"
        type="search"
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div aria-live="polite" className="results-status" data-answered={answered}>
        {q.length === 1 && <p>{w.kiosk.keepTyping}</p>}
        {list && list.length === 0 && <p>{w.kiosk.noResults}</p>}
        {list && list.length > 0 && <p className="visually-hidden">{w.kiosk.results(list.length)}</p>}
      </div>
      {list && list.length > 0 && (
        <ul className="results" aria-label={w.kiosk.results(list.length)}>
          {list.map((r) => (
            <li key={r.id}>
              <button type="button" className="result" onClick={() => onChoose(r.id)}>
                <span className="result-name">{fullName(r)}</span>
                <span className="result-more">{[r.company, r.email].filter(Boolean).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Confirm({ id, onBack, onStep }: { id: string; onBack(): void; onStep(s: Step): void }) {
  const w = useWords();
  const call = useCall();
  const person = useStation('registrant.get', { id });
  const preview = useStation('badge.preview', { registrantId: id });
  const printButton = useRef<HTMLButtonElement>(null);
  const p: RegistrantDetail | undefined = person.data;
  // The hands go to the one thing to do next (it is enabled once the badge preview is there).
  useEffect(() => printButton.current?.focus(), [p, preview.data]);
  if (person.error) return <ErrorNotice error={person.error} />;
  if (!p) return <p className="loading">{w.common.loading}</p>;
  // Printed before (here or elsewhere): no second badge from the kiosk.
  if (p.lastPrint) {
    return (
      <Outcome title={w.kiosk.alreadyTitle} kind="warn" onDone={onBack}>
        <p>{w.kiosk.alreadyBody(w.common.stationName(p.lastPrint.station), w.common.time(p.lastPrint.printedAt))}</p>
      </Outcome>
    );
  }
  // The station's own rule: a badge that would print boxes for letters, or a QR doors cannot read, goes to a desk.
  const needsStaff = preview.data?.warnings.some(blocksSelfPrint) ?? false;

  async function print() {
    onStep({ at: 'printing', id });
    const r = await call('badge.print', { registrantId: id });
    if (!r.ok) {
      const d = r.error.details as ConflictDetails | undefined;
      if (r.error.code === 'conflict' && d?.reason === 'already_printed')
        return onStep({ at: 'already', station: d.station, printedAt: d.printedAt });
      if (r.error.code === 'conflict' && (d?.reason === 'print_uncertain' || d?.reason === 'needs_staff'))
        return onStep({ at: 'desk' });
      return onStep({ at: 'error', error: r.error });
    }
    const job = r.value;
    if (job.status === 'printed') onStep({ at: 'printed', job });
    else if (job.status === 'failed') onStep({ at: 'failed', job });
    else onStep({ at: 'uncertain', job, staff: false }); // uncertain, or still not final after the wait: staff look
  }

  return (
    <section className="kiosk-confirm" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{w.kiosk.isThisYou}</h1>
      <div className="confirm-body">
        <dl className="identity">
          <dt className="visually-hidden">Name</dt>
          <dd className="identity-name">{fullName(p)}</dd>
          <dt>{w.kiosk.company}</dt>
          <dd>{p.company || '—'}</dd>
          <dt>{w.kiosk.ticket}</dt>
          <dd>{p.ticketTypeName}</dd>
        </dl>
        <div className="preview-frame">
          {preview.data ? (
            <BadgeImage preview={preview.data} label={w.kiosk.preview(fullName(p))} />
          ) : (
            <p className="loading">{w.common.loading}</p>
          )}
        </div>
      </div>
      {needsStaff && <Notice kind="warn" title={w.kiosk.needsDesk} />}
      <div className="actions">
        <button
          ref={printButton}
          type="button"
          className="primary huge"
          disabled={!preview.data || needsStaff}
          onClick={() => void print()}
        >
          {w.kiosk.print}
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          {w.kiosk.notMe}
        </button>
      </div>
    </section>
  );
}

function Printing() {
  const w = useWords();
  return (
    <section className="kiosk-outcome" aria-live="assertive">
      <div className="spinner" aria-hidden="true" />
      <h1>{w.kiosk.printing}</h1>
    </section>
  );
}

function Printed({ onDone }: { onDone(): void }) {
  const w = useWords();
  useEffect(() => {
    const t = setTimeout(onDone, 15_000);
    return () => clearTimeout(t);
  }, [onDone]);
  return (
    <Outcome title={w.kiosk.takeBadge} kind="ok" onDone={onDone}>
      <p className="arrow-down" aria-hidden="true">
        ↓
      </p>
      <p>{w.kiosk.enjoy}</p>
    </Outcome>
  );
}

/** The printer may or may not have printed: the attendee waits; staff sign in here and say what they saw. */
function Uncertain({ job, onDone }: { job: PrintJobView; onDone(): void }) {
  const w = useWords();
  const call = useCall();
  const [staff, setStaff] = useState(false);
  const [state, setState] = useState(job.status);
  const [error, setError] = useState<AppError | null>(null);
  // The job may still finish by itself (a slow printer): then its real outcome is shown.
  useStationEvent(['print.job'], (e) => {
    if (e.type === 'print.job' && e.jobId === job.id) setState(e.state);
  });
  if (state === 'printed') return <Printed onDone={onDone} />;
  if (state === 'sending' || state === 'queued') return <Printing />;
  if (state === 'failed') {
    return (
      <Outcome title={w.kiosk.failedTitle} kind="error" onDone={onDone}>
        <p>{w.kiosk.failedBody}</p>
      </Outcome>
    );
  }
  async function confirm(printed: boolean) {
    const r = await call('print.confirm', { jobId: job.id, printed });
    if (!r.ok) return setError(r.error);
    if (printed) {
      await call('staff.signOut', {});
      return onDone();
    }
    // Staff saw nothing come out: print it now, while they stand there (the job failed; no second badge exists).
    setState('sending');
    const again = await call('badge.print', { registrantId: job.registrantId! });
    await call('staff.signOut', {});
    if (!again.ok) return setError(again.error);
    setState(again.value.status);
  }
  return (
    <section className="kiosk-outcome" aria-labelledby="uncertain-title">
      <h1 id="uncertain-title">{w.kiosk.uncertainTitle}</h1>
      <p>{w.kiosk.uncertainBody}</p>
      {!staff && state === 'uncertain' && (
        <button type="button" className="secondary" onClick={() => setStaff(true)}>
          {w.kiosk.staffCheck}
        </button>
      )}
      {staff && <StaffConfirm onConfirm={confirm} />}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function StaffConfirm({ onConfirm }: { onConfirm(printed: boolean): void }) {
  const w = useWords();
  const [signedIn, setSignedIn] = useState(false);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  return (
    <div className="staff-confirm" role="group" aria-label={w.kiosk.didItPrint}>
      <p>{w.kiosk.didItPrint}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => onConfirm(true)}>
          {w.kiosk.itPrinted}
        </button>
        <button type="button" className="secondary" onClick={() => onConfirm(false)}>
          {w.kiosk.itDidNot}
        </button>
      </div>
    </div>
  );
}

function Outcome({
  title,
  kind,
  onDone,
  children,
}: {
  title: string;
  kind: 'ok' | 'warn' | 'error';
  onDone(): void;
  children?: React.ReactNode;
}) {
  const w = useWords();
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => done.current?.focus(), []);
  return (
    <section className={`kiosk-outcome outcome-${kind}`} aria-labelledby="outcome-title">
      <div role={kind === 'ok' ? 'status' : 'alert'}>
        <h1 id="outcome-title">{title}</h1>
        {children}
      </div>
      <button ref={done} type="button" className="primary" onClick={onDone}>
        {kind === 'ok' ? w.common.done : w.kiosk.startOver}
      </button>
    </section>
  );
}

/**
 * The query to search for as a person types it — at once, every keystroke — but not during a scanner's burst
 * (keys under 35 ms apart): those keys wait for a pause, so a scan does not queue a search per character ahead of
 * its own lookup.
 */
export function useTypedQuery(typed: string): string {
  const [q, setQ] = useState(typed);
  const last = useRef(0);
  useEffect(() => {
    const now = performance.now();
    const burst = now - last.current < 35;
    last.current = now;
    if (!burst) return void setQ(typed);
    const t = setTimeout(() => setQ(typed), 60);
    return () => clearTimeout(t);
  }, [typed]);
  return q;
}

export const fullName = (r: Pick<RegistrantSummary, 'firstName' | 'lastName'>) => `${r.firstName} ${r.lastName}`.trim();
