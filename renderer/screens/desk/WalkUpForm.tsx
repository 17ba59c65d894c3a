/**
 * Register someone who walks up: the station validates, this form shows each field's problem beside it. A priced
 * ticket takes how it was paid; someone who looks already registered is shown, and staff say it is another person;
 * a ticket the station keeps for a supervisor (speakers, staff) asks for one when the station says so.
 */
import { useState, type FormEvent } from 'react';
import { formatMoney, paymentMethods, type PaymentInput, type PaymentMethod } from '../../../core/money';
import type { WalkUpOutcome } from '../../../core/api';
import type { AppError } from '../../../core/result';
import { fieldErrors, useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { DeskError, SupervisorFields, type SupervisorAuth } from './asks';
import { signedOutBy } from './common';

const fields = ['firstName', 'lastName', 'email', 'company'] as const;

export function WalkUpForm({ onRegistered, onSignedOut }: { onRegistered(id: string): void; onSignedOut(): void }) {
  const w = useWords();
  const call = useCall();
  const tickets = useStation('ticketTypes.list', {});
  const sessions = useStation('sessions.list', {});
  const [chosen, setChosen] = useState<string[]>([]);
  // Seats asked for at registration: what the station did with each, before the desk moves on to the person.
  const [done, setDone] = useState<WalkUpOutcome | null>(null);
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', company: '', ticketTypeId: '' });
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const [auth, setAuth] = useState<SupervisorAuth | null>(null);
  const problems = fieldErrors(error);
  const ticket = form.ticketTypeId || tickets.data?.[0]?.id || '';
  const price = tickets.data?.find((t) => t.id === ticket)?.price ?? null;
  const payment: PaymentInput | undefined =
    !price || price.amount === 0
      ? undefined
      : method === 'cash'
        ? { method }
        : method === 'complimentary'
          ? { method, reason: reference.trim() }
          : { method, reference: reference.trim() };
  // The station decides which tickets need a supervisor: its answer opens the fields, they stay for the retry.
  const [needsSupervisor, setNeedsSupervisor] = useState(false);
  const duplicates =
    error?.code === 'conflict' && error.details?.reason === 'possible_duplicate' ? error.details.matches : null;
  const labels = {
    firstName: w.desk.walkup.first,
    lastName: w.desk.walkup.last,
    email: w.desk.walkup.email,
    company: w.desk.walkup.company,
  };
  // The station's problem with a field, in this screen's words where it has them.
  const fieldWords = (f: string) =>
    !problems[f]
      ? null
      : f === 'firstName' || f === 'lastName'
        ? w.desk.walkup.nameNeeded
        : f === 'email'
          ? w.desk.walkup.emailInvalid
          : problems[f];

  async function register(allowDuplicate: boolean) {
    setBusy(true);
    const r = await call('registrant.registerWalkUp', {
      ...form,
      ticketTypeId: ticket,
      payment,
      allowDuplicate,
      sessions: chosen,
      ...(needsSupervisor && auth ? { supervisor: auth } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      if (signedOutBy(r.error)) return onSignedOut();
      if (r.error.code === 'forbidden' && r.error.details?.need === 'supervisor') setNeedsSupervisor(true);
      return setError(r.error);
    }
    if (r.value.sales.length === 0) onRegistered(r.value.id);
    else setDone(r.value);
  }
  const titleOf = (id: string) => sessions.data?.find((x) => x.id === id)?.title ?? id;
  const seatWords = (s: WalkUpOutcome['sales'][number]) =>
    s.outcome?.outcome === 'confirmed' || s.outcome?.outcome === 'proceed'
      ? w.desk.walkup.seatSold(titleOf(s.sessionId))
      : s.outcome?.outcome === 'awaiting'
        ? w.desk.walkup.seatAwaiting(titleOf(s.sessionId))
        : w.desk.walkup.seatNotSold(titleOf(s.sessionId), s.error?.message ?? w.desk.walkup.refused);

  if (done) {
    const name = `${done.firstName} ${done.lastName}`.trim();
    const allSold = done.sales.every((s) => s.outcome?.outcome === 'confirmed' || s.outcome?.outcome === 'proceed');
    return (
      <section className="walkup" aria-labelledby="walkup-title">
        <h2 id="walkup-title">{w.desk.walkup.title}</h2>
        <div className={`notice notice-${allSold ? 'ok' : 'warn'}`} role={allSold ? 'status' : 'alert'}>
          <p className="notice-title">{w.desk.walkup.done(name)}</p>
          <ul>
            {done.sales.map((s) => (
              <li key={s.sessionId}>{seatWords(s)}</li>
            ))}
          </ul>
        </div>
        <button type="button" className="primary" onClick={() => onRegistered(done.id)}>
          {w.desk.walkup.open(name)}
        </button>
      </section>
    );
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    void register(false);
  }

  return (
    <section className="walkup" aria-labelledby="walkup-title">
      <h2 id="walkup-title">{w.desk.walkup.title}</h2>
      <form onSubmit={submit} noValidate>
        {fields.map((f) => (
          <div className="field" key={f}>
            <label htmlFor={`walkup-${f}`}>{labels[f]}</label>
            <input
              id={`walkup-${f}`}
              type={f === 'email' ? 'email' : 'text'}
              value={form[f]}
              maxLength={f === 'email' ? 254 : 200}
              autoFocus={f === 'firstName'}
              aria-invalid={fieldWords(f) ? true : undefined}
              aria-describedby={fieldWords(f) ? `walkup-${f}-error` : undefined}
              onChange={(e) => setForm({ ...form, [f]: e.target.value })}
            />
            {fieldWords(f) && (
              <p className="field-error" id={`walkup-${f}-error`}>
                {fieldWords(f)}
              </p>
            )}
          </div>
        ))}
        <div className="field">
          <label htmlFor="walkup-ticket">{w.desk.walkup.ticket}</label>
          <select
            id="walkup-ticket"
            value={ticket}
            onChange={(e) => setForm({ ...form, ticketTypeId: e.target.value })}
          >
            {tickets.data?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        {sessions.data && sessions.data.some((x) => x.sellable) && (
          <fieldset className="walkup-sessions">
            <legend>{w.desk.walkup.sessions}</legend>
            <p className="hint">{w.desk.walkup.sessionsHint}</p>
            {sessions.data
              .filter((x) => x.sellable)
              .map((x) => (
                <label key={x.id} className="radio">
                  <input
                    type="checkbox"
                    checked={chosen.includes(x.id)}
                    onChange={(e) =>
                      setChosen(e.target.checked ? [...chosen, x.id] : chosen.filter((id) => id !== x.id))
                    }
                  />{' '}
                  {x.title} · {x.room}
                </label>
              ))}
          </fieldset>
        )}
        {price && price.amount > 0 && (
          <fieldset className="payment">
            <legend>
              {w.desk.walkup.price(formatMoney(price))} · {w.desk.walkup.payment}
            </legend>
            {paymentMethods.map((m) => (
              <label key={m} className="radio">
                <input
                  type="radio"
                  name="walkup-method"
                  value={m}
                  checked={method === m}
                  onChange={() => setMethod(m)}
                />{' '}
                {w.desk.walkup.methods[m]}
              </label>
            ))}
            {method !== 'cash' && (
              <div className="field">
                <label htmlFor="walkup-reference">
                  {method === 'complimentary' ? w.desk.walkup.compReason : w.desk.walkup.reference}
                </label>
                <input
                  id="walkup-reference"
                  value={reference}
                  maxLength={120}
                  onChange={(e) => setReference(e.target.value)}
                />
              </div>
            )}
          </fieldset>
        )}
        {duplicates && (
          <div className="notice notice-warn" role="alert">
            <p className="notice-title">{w.desk.walkup.duplicateTitle}</p>
            <ul>
              {duplicates.map((d) => (
                <li key={d.id}>
                  <button type="button" className="link" onClick={() => onRegistered(d.id)}>
                    {`${d.firstName} ${d.lastName}`.trim()}
                  </button>{' '}
                  {[d.email, d.company, d.confirmationCode].filter(Boolean).join(' · ')}
                </li>
              ))}
            </ul>
            <button type="button" className="secondary" disabled={busy} onClick={() => void register(true)}>
              {w.desk.walkup.registerAnyway}
            </button>
          </div>
        )}
        {needsSupervisor && <SupervisorFields id="walkup" onChange={setAuth} />}
        {error && error.code !== 'invalid_input' && !duplicates && <DeskError error={error} />}
        <button
          type="submit"
          className="primary"
          disabled={
            busy ||
            !ticket ||
            (payment !== undefined && payment.method !== 'cash' && !reference.trim()) ||
            (needsSupervisor && !auth)
          }
        >
          {w.desk.walkup.register}
        </button>
      </form>
    </section>
  );
}
