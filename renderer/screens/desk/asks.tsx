/**
 * What the desk's dialogs share: a modal dialog, the "how was it paid" fields, a supervisor's PIN, and the
 * station's error worded for a desk. The station says what an action needs — a payment of an amount
 * (`payment_required`), a supervisor (`forbidden`, `need: supervisor`) — and the dialog asks for exactly that:
 * no price or right is worked out here.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { paymentMethods, type Money, type PaymentInput, type PaymentMethod } from '../../../core/money';
import type { AppError } from '../../../core/result';
import { Notice, ReasonList } from '../../components/Notice';
import type { Words } from '../../i18n/en';
import { describeError, useWords } from '../../i18n/i18n';
import { useStation } from '../../station';

/** A modal dialog (the browser's own: focus stays inside, Escape closes), titled for screen readers. */
export function Dialog({
  id,
  title,
  onClose,
  children,
}: {
  id: string;
  title: string;
  onClose(): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="desk-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => (e.preventDefault(), onClose())}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

/** What the station asked for before it would do it. */
export interface Needs {
  payment: Money | null;
  supervisor: boolean;
}

export const noNeeds: Needs = { payment: null, supervisor: false };

/** The station's refusal turned into what to ask for next; null when it is an error to show instead. */
export function needsFrom(e: AppError, had: Needs): Needs | null {
  if (e.code === 'conflict' && e.details?.reason === 'payment_required')
    return { ...had, payment: { amount: e.details.amount, currency: e.details.currency } };
  if (e.code === 'forbidden' && e.details?.need === 'supervisor' && !had.supervisor)
    return { ...had, supervisor: true };
  return null;
}

/** The station's error in the desk's words; a conflict's own sentence where the catalogue has no better one. */
export function deskErrorWords(w: Words, e: AppError): string[] {
  if (e.code === 'conflict' && e.details?.reason === 'payment_required')
    return [w.deskDay.paymentRequired(w.deskDay.money({ amount: e.details.amount, currency: e.details.currency }))];
  if (e.code === 'conflict' && (!e.details || e.details.reason === 'other')) return [e.message];
  if (e.code === 'forbidden' && e.details?.need === 'supervisor') return [w.deskDay.needSupervisor];
  if (e.code === 'not_found' && e.details && 'ticketTypes' in e.details)
    return [w.deskDay.validTickets(e.details.ticketTypes.map((t) => t.name).join(', '))];
  if (e.code === 'invalid_input' && e.details && 'issues' in e.details)
    return e.details.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  if (e.code === 'refused' && e.details && 'reason' in e.details) return [e.message];
  return describeError(w, e);
}

export function DeskError({ error }: { error: AppError }) {
  const w = useWords();
  const lines = deskErrorWords(w, error);
  return (
    <Notice kind="error" title={lines.length > 1 ? w.errors[error.code] : undefined}>
      {lines.length === 1 ? <p>{lines[0]}</p> : <ReasonList reasons={lines} />}
    </Notice>
  );
}

/** How the person pays `amount`: cash, card with the terminal's reference, invoice, complimentary with a reason. */
export function PaymentFields({
  id,
  amount,
  value,
  onChange,
}: {
  id: string;
  amount: Money;
  value: PaymentInput | null;
  onChange(p: PaymentInput | null): void;
}) {
  const w = useWords();
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [text, setText] = useState('');
  useEffect(() => {
    const t = text.trim();
    onChange(
      method === 'cash'
        ? { method }
        : !t
          ? null
          : method === 'complimentary'
            ? { method, reason: t }
            : { method, reference: t },
    );
  }, [method, text]);
  return (
    <fieldset className="payment">
      <legend>{w.deskDay.toPay(w.deskDay.money(amount))}</legend>
      {paymentMethods.map((m) => (
        <label key={m} className="radio">
          <input type="radio" name={`${id}-method`} value={m} checked={method === m} onChange={() => setMethod(m)} />{' '}
          {w.desk.walkup.methods[m]}
        </label>
      ))}
      {method !== 'cash' && (
        <div className="field">
          <label htmlFor={`${id}-reference`}>
            {method === 'complimentary' ? w.desk.walkup.compReason : w.desk.walkup.reference}
          </label>
          <input
            id={`${id}-reference`}
            value={text}
            maxLength={method === 'complimentary' ? 200 : 120}
            aria-invalid={value === null ? true : undefined}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      )}
    </fieldset>
  );
}

export interface SupervisorAuth {
  supervisorId: string;
  pin: string;
}

/** A supervisor chooses their name and types their PIN at this desk. */
export function SupervisorFields({ id, onChange }: { id: string; onChange(a: SupervisorAuth | null): void }) {
  const w = useWords();
  const staff = useStation('staff.list', {});
  const supervisors = (staff.data ?? []).filter((s) => s.role === 'supervisor');
  const [who, setWho] = useState('');
  const [pin, setPin] = useState('');
  const chosen = who || supervisors[0]?.id || '';
  useEffect(() => {
    onChange(chosen && pin.length >= 4 ? { supervisorId: chosen, pin } : null);
  }, [chosen, pin]);
  return (
    <fieldset className="override">
      <legend>{w.deskDay.supervisorLegend}</legend>
      <div className="field">
        <label htmlFor={`${id}-supervisor`}>{w.desk.sessions.supervisor}</label>
        <select id={`${id}-supervisor`} value={chosen} onChange={(e) => setWho(e.target.value)}>
          {supervisors.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-pin`}>{w.deskDay.supervisorPin}</label>
        <input
          id={`${id}-pin`}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        />
      </div>
    </fieldset>
  );
}

/**
 * The ask-again loop of a desk action: `run(extra)` sends the request with what was asked for so far; when the
 * station answers that it needs a payment or a supervisor, the dialog shows those fields and the next press sends
 * them. Returns the value on success.
 */
export function useAsk() {
  const [needs, setNeeds] = useState<Needs>(noNeeds);
  const [payment, setPayment] = useState<PaymentInput | null>(null);
  const [auth, setAuth] = useState<SupervisorAuth | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  /** Whether what the station asked for is filled in. */
  const ready = (!needs.payment || payment !== null) && (!needs.supervisor || auth !== null);
  async function run<T>(
    send: (extra: {
      payment?: PaymentInput;
      supervisor?: SupervisorAuth;
    }) => Promise<{ ok: true; value: T } | { ok: false; error: AppError }>,
  ): Promise<T | null> {
    setBusy(true);
    setError(null);
    const r = await send({
      ...(needs.payment && payment ? { payment } : {}),
      ...(needs.supervisor && auth ? { supervisor: auth } : {}),
    });
    setBusy(false);
    if (r.ok) return r.value;
    const next = needsFrom(r.error, needs);
    if (next) setNeeds(next);
    else setError(r.error);
    return null;
  }
  return { needs, setNeeds, payment, setPayment, auth, setAuth, error, setError, busy, ready, run };
}

/** The payment and supervisor fields the station asked for, and its error. */
export function AskFields({ id, ask }: { id: string; ask: ReturnType<typeof useAsk> }) {
  return (
    <>
      {ask.needs.payment && (
        <PaymentFields id={id} amount={ask.needs.payment} value={ask.payment} onChange={ask.setPayment} />
      )}
      {ask.needs.supervisor && <SupervisorFields id={id} onChange={ask.setAuth} />}
      {ask.error && <DeskError error={ask.error} />}
    </>
  );
}

/** Buttons at the foot of a dialog: one primary action and a way back. */
export function DialogActions({
  action,
  disabled,
  onAction,
  onCancel,
}: {
  action: string;
  disabled?: boolean;
  onAction(): void;
  onCancel(): void;
}) {
  const w = useWords();
  return (
    <div className="actions">
      <button type="button" className="primary" disabled={disabled} onClick={onAction}>
        {action}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {w.common.cancel}
      </button>
    </div>
  );
}

/** Hands a file to the browser's downloads (the day report, a receipt). */
export function downloadFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const pngBlob = (base64: string): Blob =>
  new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' });
