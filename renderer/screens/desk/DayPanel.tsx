/**
 * The desk's day: the cash-up at 18:00 (the day report as CSV, per staff member and payment method), the badge
 * stock (cards loaded against issued, voided and spoiled), and the night-before batch print with its progress —
 * paused on a paper-out with the printer's words, resumed where it stopped.
 */
import { useState } from 'react';
import type { PrintBatchView } from '../../../core/api';
import type { AppError } from '../../../core/result';
import { Notice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { DeskError, downloadFile } from './asks';
import { signedOutBy } from './common';

export function DayPanel({ onSignedOut }: { onSignedOut(): void }) {
  const w = useWords();
  return (
    <div className="day">
      <h2 className="visually-hidden">{w.desk.tabs.day}</h2>
      <DayReport onSignedOut={onSignedOut} />
      <Stock />
      <Batches />
    </div>
  );
}

function DayReport({ onSignedOut }: { onSignedOut(): void }) {
  const w = useWords();
  const call = useCall();
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<{ filename: string; rows: number } | null>(null);
  async function download() {
    setError(null);
    const r = await call('reports.day', {});
    if (!r.ok) {
      if (signedOutBy(r.error)) return onSignedOut();
      return setError(r.error);
    }
    downloadFile(r.value.filename, new Blob([r.value.csv], { type: 'text/csv;charset=utf-8' }));
    setDone({ filename: r.value.filename, rows: r.value.rows });
  }
  return (
    <section className="card" aria-labelledby="report-title">
      <h3 id="report-title">{w.deskDay.report.title}</h3>
      <p>{w.deskDay.report.lead}</p>
      {error && <DeskError error={error} />}
      {done && <Notice kind="ok">{w.deskDay.report.saved(done.filename, done.rows)}</Notice>}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void download()}>
          {w.deskDay.report.download}
        </button>
      </div>
    </section>
  );
}

function Stock() {
  const w = useWords();
  const call = useCall();
  const stock = useStation('stock.status', {}, { refreshOn: ['print.job'] });
  const [cards, setCards] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const n = Number(cards);
  async function record() {
    setError(null);
    const r = await call('stock.record', { cards: n, note: note.trim() });
    if (!r.ok) return setError(r.error);
    setCards('');
    setNote('');
    stock.reload();
  }
  const s = stock.data;
  return (
    <section className="card" aria-labelledby="stock-title">
      <h3 id="stock-title">{w.deskDay.stock.title}</h3>
      {stock.error && <DeskError error={stock.error} />}
      {s && (
        <dl className="facts stock">
          <dt>{w.deskDay.stock.loaded}</dt>
          <dd>{s.loaded}</dd>
          <dt>{w.deskDay.stock.issued}</dt>
          <dd>{s.issued}</dd>
          <dt>{w.deskDay.stock.voided}</dt>
          <dd>{s.voided}</dd>
          <dt>{w.deskDay.stock.spoiled}</dt>
          <dd>{s.spoiled}</dd>
          <dt>{w.deskDay.stock.left}</dt>
          <dd>{s.left === null ? w.deskDay.stock.unknown : s.left}</dd>
        </dl>
      )}
      {s && s.left !== null && s.left < 20 && <Notice kind="warn">{w.deskDay.stock.low(s.left)}</Notice>}
      <form className="reason-form" onSubmit={(e) => (e.preventDefault(), void record())}>
        <label>
          {w.deskDay.stock.cards}
          <input
            inputMode="numeric"
            value={cards}
            maxLength={6}
            onChange={(e) => setCards(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <label>
          {w.deskDay.stock.note}
          <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" className="secondary" disabled={!(n >= 1)}>
          {w.deskDay.stock.record}
        </button>
      </form>
      {error && <DeskError error={error} />}
    </section>
  );
}

function Batches() {
  const w = useWords();
  const call = useCall();
  const batches = useStation('print.batches', {}, { refreshOn: ['print.batch'] });
  const tickets = useStation('ticketTypes.list', {});
  const [order, setOrder] = useState<'name' | 'company'>('name');
  const [ticket, setTicket] = useState('');
  const [dividers, setDividers] = useState(true);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const running = batches.data?.find((b) => b.state === 'running' || b.state === 'paused');

  async function act(r: Promise<{ ok: true } | { ok: false; error: AppError }>) {
    setBusy(true);
    setError(null);
    const a = await r;
    setBusy(false);
    if (!a.ok) setError(a.error);
    batches.reload();
  }
  return (
    <section className="card" aria-labelledby="batch-title">
      <h3 id="batch-title">{w.deskDay.batch.title}</h3>
      <p>{w.deskDay.batch.lead}</p>
      {!running && (
        <form className="batch-form" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="batch-order">{w.deskDay.batch.order}</label>
            <select id="batch-order" value={order} onChange={(e) => setOrder(e.target.value as 'name' | 'company')}>
              <option value="name">{w.deskDay.batch.byName}</option>
              <option value="company">{w.deskDay.batch.byCompany}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="batch-ticket">{w.desk.ticket}</label>
            <select id="batch-ticket" value={ticket} onChange={(e) => setTicket(e.target.value)}>
              <option value="">{w.deskDay.batch.allTickets}</option>
              {tickets.data?.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <label className="radio">
            <input type="checkbox" checked={dividers} onChange={(e) => setDividers(e.target.checked)} />{' '}
            {w.deskDay.batch.dividers}
          </label>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() =>
                void act(
                  call('print.batch', { order, dividers, ...(ticket ? { ticketTypeId: ticket } : {}), wait: false }),
                )
              }
            >
              {w.deskDay.batch.start}
            </button>
          </div>
        </form>
      )}
      {error &&
        (error.code === 'forbidden' && error.details?.need === 'supervisor' ? (
          <Notice kind="error">{w.deskDay.batch.supervisorOnly}</Notice>
        ) : (
          <DeskError error={error} />
        ))}
      {batches.data && batches.data.length > 0 && (
        <ul className="batches">
          {batches.data.map((b) => (
            <Batch
              key={b.id}
              b={b}
              busy={busy}
              onResume={() => void act(call('print.batchResume', { batchId: b.id }))}
              onCancel={() => void act(call('print.batchCancel', { batchId: b.id }))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function Batch({
  b,
  busy,
  onResume,
  onCancel,
}: {
  b: PrintBatchView;
  busy: boolean;
  onResume(): void;
  onCancel(): void;
}) {
  const w = useWords();
  const label = w.deskDay.batch.progress(b.printed, b.total);
  return (
    <li className={`batch batch-${b.state}`}>
      <p className="batch-state">
        <strong>{w.deskDay.batch.state[b.state]}</strong> · {label}
        {b.skipped > 0 ? ` · ${w.deskDay.batch.skipped(b.skipped)}` : ''} · {w.common.time(b.createdAt)}
      </p>
      <progress max={Math.max(b.total, 1)} value={b.printed} aria-label={label} />
      {b.state === 'paused' && (
        <Notice kind="warn" title={w.deskDay.batch.pausedTitle}>
          {b.words && <p>{b.words}</p>}
          <p>{w.deskDay.batch.pausedHint}</p>
        </Notice>
      )}
      {(b.state === 'paused' || b.state === 'running') && (
        <div className="actions">
          {b.state === 'paused' && (
            <button type="button" className="primary" disabled={busy} onClick={onResume}>
              {w.deskDay.batch.resume}
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={onCancel}>
            {w.deskDay.batch.cancel}
          </button>
        </div>
      )}
    </li>
  );
}
