/** Register someone who walks up: the station validates, this form shows each field's problem beside it. */
import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../core/result';
import { ErrorNotice } from '../../components/Notice';
import { fieldErrors, useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { signedOutBy } from './common';

const fields = ['firstName', 'lastName', 'email', 'company'] as const;

export function WalkUpForm({ onRegistered, onSignedOut }: { onRegistered(id: string): void; onSignedOut(): void }) {
  const w = useWords();
  const call = useCall();
  const tickets = useStation('ticketTypes.list', {});
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', company: '', ticketTypeId: '' });
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = fieldErrors(error);
  const ticket = form.ticketTypeId || tickets.data?.[0]?.id || '';
  const labels = { firstName: w.desk.walkup.first, lastName: w.desk.walkup.last, email: w.desk.walkup.email, company: w.desk.walkup.company };
  // The station's problem with a field, in this screen's words where it has them.
  const fieldWords = (f: string) => (!problems[f] ? null : f === 'firstName' || f === 'lastName' ? w.desk.walkup.nameNeeded : f === 'email' ? w.desk.walkup.emailInvalid : problems[f]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await call('registrant.registerWalkUp', { ...form, ticketTypeId: ticket });
    setBusy(false);
    if (!r.ok) {
      if (signedOutBy(r.error)) return onSignedOut();
      return setError(r.error);
    }
    onRegistered(r.value.id);
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
          <select id="walkup-ticket" value={ticket} onChange={(e) => setForm({ ...form, ticketTypeId: e.target.value })}>
            {tickets.data?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        {error && error.code !== 'invalid_input' && <ErrorNotice error={error} />}
        <button type="submit" className="primary" disabled={busy || !ticket}>
          {w.desk.walkup.register}
        </button>
      </form>
    </section>
  );
}
