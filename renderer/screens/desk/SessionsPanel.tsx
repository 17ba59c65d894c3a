/**
 * Selling a seat: the sessions on sale with their seats left and how fresh HQ's numbers are; for the chosen one,
 * the station's preview for this desk — the tier it would sell in, or every failed condition in words — before
 * anyone presses Sell. A supervisor may override with their PIN. The desk shows what the station decided.
 */
import { useState } from 'react';
import type { SaleOutcome, SessionView } from '../../../core/api';
import type { Money, PaymentInput } from '../../../core/money';
import type { AppError } from '../../../core/result';
import { ErrorNotice, Notice, ReasonList } from '../../components/Notice';
import { SeatsBar } from '../../components/SeatsBar';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation, useStationEvent } from '../../station';
import { fullName } from '../kiosk/KioskScreen';
import { needsFrom, PaymentFields } from './asks';
import { signedOutBy } from './common';

export function SessionsPanel({ person, onSignedOut }: { person: string | null; onSignedOut(): void }) {
  const w = useWords();
  const sessions = useStation(
    'sessions.list',
    {},
    { refreshOn: ['availability.changed', 'hq.contact'], pollMs: 30_000 },
  );
  const who = useStation('registrant.get', person ? { id: person } : null);
  const [chosen, setChosen] = useState<string | null>(null);
  const sellable = (sessions.data ?? []).filter((s) => s.sellable);
  const has = new Set(who.data?.sessions.map((s) => s.sessionId));
  return (
    <div className="split">
      <section className="sessions" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{w.desk.sessions.title}</h2>
        {who.data ? (
          <p className="for">{w.desk.sessions.for(fullName(who.data))}</p>
        ) : (
          <Notice kind="info">{w.desk.sessions.pickPerson}</Notice>
        )}
        <ul className="session-list">
          {sellable.map((s) => (
            <li key={s.id} className={s.id === chosen ? 'chosen' : ''}>
              <SessionRow s={s} />
              {who.data && !has.has(s.id) && (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`${w.desk.sessions.choose}: ${s.title}`}
                  aria-pressed={s.id === chosen}
                  onClick={() => setChosen(s.id)}
                >
                  {w.desk.sessions.choose}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      {person && chosen && who.data && (
        <Sell
          key={`${person}/${chosen}`}
          person={person}
          session={sellable.find((s) => s.id === chosen)!}
          onDone={() => (setChosen(null), who.reload())}
          onSignedOut={onSignedOut}
        />
      )}
    </div>
  );
}

function SessionRow({ s }: { s: SessionView }) {
  const w = useWords();
  const a = s.availability;
  const hqAge = a.hqTime ? (Date.now() - Date.parse(a.hqTime)) / 60_000 : null;
  return (
    <div className="session-row">
      <p className="session-title">{s.title}</p>
      <p className="session-when">{w.desk.sessions.starts(w.common.time(s.startsAt), s.room)}</p>
      <SeatsBar a={a} />
      <p className={`freshness ${hqAge === null || hqAge > 10 ? 'warn' : ''}`}>
        {w.desk.sessions.fromHq(hqAge === null ? w.desk.sessions.imported : w.desk.sessions.ago(hqAge))}
      </p>
    </div>
  );
}

function Sell({
  person,
  session,
  onDone,
  onSignedOut,
}: {
  person: string;
  session: SessionView;
  onDone(): void;
  onSignedOut(): void;
}) {
  const w = useWords();
  const call = useCall();
  const preview = useStation(
    'sale.preview',
    { sessionId: session.id, registrantId: person },
    { refreshOn: ['availability.changed', 'connectivity', 'hq.contact'] },
  );
  const [outcome, setOutcome] = useState<SaleOutcome | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [override, setOverride] = useState(false);
  const [later, setLater] = useState<'confirmed' | 'oversold' | null>(null);
  // A priced seat: the station answers `payment_required` with the amount; the desk then takes the payment.
  const [due, setDue] = useState<Money | null>(null);
  const [payment, setPayment] = useState<PaymentInput | null>(null);
  useStationEvent(['sale.decided'], (e) => {
    if (e.type === 'sale.decided' && outcome?.sale && e.saleId === outcome.sale.id)
      setLater(
        e.status === 'confirmed' ? 'confirmed' : e.status === 'oversold' || e.status === 'refused' ? 'oversold' : null,
      );
  });

  async function sell(auth?: { supervisorId: string; pin: string }) {
    setBusy(true);
    setError(null);
    const r = await call('registration.upgrade', {
      registrantId: person,
      sessionId: session.id,
      ...(auth ? { override: auth } : {}),
      ...(due && payment ? { payment } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      if (signedOutBy(r.error)) return onSignedOut();
      const more = needsFrom(r.error, { payment: due, supervisor: false });
      if (more?.payment) return (setDue(more.payment), setError(null));
      return setError(r.error);
    }
    setOutcome(r.value);
    setOverride(false);
  }
  async function cancel() {
    if (!outcome?.sale) return;
    const r = await call('sale.release', {
      saleId: outcome.sale.id,
      reason: 'cancelled at the desk while waiting for HQ',
    });
    if (!r.ok) return setError(r.error);
    setOutcome({ ...outcome, outcome: 'refused', why: 'cancelled' });
  }

  const p = preview.data;
  return (
    <section className="sell" aria-labelledby="sell-title">
      <h2 id="sell-title">{session.title}</h2>
      <SeatsBar a={session.availability} />
      {!outcome && (
        <>
          <h3>{w.desk.sessions.preview}</h3>
          {preview.error && <ErrorNotice error={preview.error} />}
          {p && <p>{w.deskDay.seat.cost(p.price ? w.deskDay.money(p.price) : w.deskDay.free)}</p>}
          {p?.allowed && p.tier && (
            <Notice kind={p.tier === 'online' || p.tier === 'allotment' ? 'ok' : 'warn'}>
              {w.desk.sessions.tier[p.tier]}
            </Notice>
          )}
          {p && !p.allowed && (
            <Notice kind="error" title={w.desk.sessions.refusedTitle}>
              <ReasonList reasons={p.failed.map(w.failed)} />
            </Notice>
          )}
          {error && (
            <ErrorNotice error={error} title={error.code === 'refused' ? w.desk.sessions.refusedTitle : undefined} />
          )}
          {due && <PaymentFields id="sell" amount={due} value={payment} onChange={setPayment} />}
          <div className="actions">
            {p?.allowed && (
              <button
                type="button"
                className="primary"
                disabled={busy || (due !== null && !payment)}
                onClick={() => void sell()}
              >
                {due ? w.deskDay.seat.payAndSell(w.deskDay.money(due)) : w.desk.sessions.sell}
              </button>
            )}
            {p && !p.allowed && !override && (
              <button type="button" className="secondary" onClick={() => setOverride(true)}>
                {w.desk.sessions.override}
              </button>
            )}
          </div>
          {override && (
            <Override busy={busy} onOverride={(auth) => void sell(auth)} onCancel={() => setOverride(false)} />
          )}
        </>
      )}
      {outcome && (
        <>
          {/* HQ's later word replaces what the desk decided on its own; that stays below, smaller, as history. */}
          {later && (
            <Notice kind={later === 'confirmed' ? 'ok' : 'error'}>
              {later === 'confirmed' ? w.desk.sessions.confirmedLater : w.desk.sessions.oversoldLater}
            </Notice>
          )}
          {later ? (
            <p className="history">{w.desk.sessions.outcome[outcome.why]}</p>
          ) : (
            <Notice
              kind={
                outcome.outcome === 'confirmed'
                  ? 'ok'
                  : outcome.outcome === 'proceed'
                    ? outcome.sale?.atRisk
                      ? 'warn'
                      : 'ok'
                    : 'error'
              }
            >
              <p>{w.desk.sessions.outcome[outcome.why]}</p>
              {outcome.failed.length > 0 && outcome.outcome === 'awaiting' && (
                <ReasonList reasons={outcome.failed.map(w.failed)} />
              )}
            </Notice>
          )}
          {error && <ErrorNotice error={error} />}
          <div className="actions">
            {outcome.outcome === 'awaiting' && !later && (
              <button type="button" className="secondary" onClick={() => void cancel()}>
                {w.desk.sessions.cancelSale}
              </button>
            )}
            <button type="button" className="primary" onClick={onDone}>
              {w.common.done}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function Override({
  busy,
  onOverride,
  onCancel,
}: {
  busy: boolean;
  onOverride(a: { supervisorId: string; pin: string }): void;
  onCancel(): void;
}) {
  const w = useWords();
  const staff = useStation('staff.list', {});
  const supervisors = (staff.data ?? []).filter((s) => s.role === 'supervisor');
  const [who, setWho] = useState(supervisors[0]?.id ?? '');
  const [pin, setPin] = useState('');
  const id = who || supervisors[0]?.id || '';
  return (
    <form className="override" onSubmit={(e) => (e.preventDefault(), onOverride({ supervisorId: id, pin }))}>
      <p>{w.desk.sessions.overrideLead}</p>
      <div className="field">
        <label htmlFor="override-who">{w.desk.sessions.supervisor}</label>
        <select id="override-who" value={id} onChange={(e) => setWho(e.target.value)}>
          {supervisors.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="override-pin">{w.common.pin}</label>
        <input
          id="override-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={pin}
          autoFocus
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !id || pin.length < 4}>
          {w.desk.sessions.override}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {w.common.cancel}
        </button>
      </div>
    </form>
  );
}
