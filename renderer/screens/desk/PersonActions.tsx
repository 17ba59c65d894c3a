/**
 * The changes a desk makes on a registrant's card, each a dialog that says what will happen before it does:
 * settle a pending registration, change the ticket, transfer to another person, give a seat back or swap it,
 * void or refund a payment, preview and print the receipt. Prices, differences and who may do what come from
 * the station's answers (the ticket's listed price, `sale.preview`, `payment_required`, `need: supervisor`).
 */
import { useState } from 'react';
import type { RegistrantDetail } from '../../../core/api';
import type { PrintJobView } from '../../../core/badge/views';
import { Notice, ReasonList } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { fullName } from '../kiosk/KioskScreen';
import {
  AskFields,
  DeskError,
  Dialog,
  DialogActions,
  downloadFile,
  PaymentFields,
  pngBlob,
  SupervisorFields,
  useAsk,
} from './asks';

type Person = RegistrantDetail;
interface DialogProps {
  p: Person;
  onDone(): void;
  onClose(): void;
}

/** A pending registration: take the ticket's price now, or a supervisor accepts it as it is (with why). */
export function SettleDialog({ p, onDone, onClose }: DialogProps) {
  const w = useWords();
  const call = useCall();
  const ask = useAsk();
  const due = p.ticket.price && p.ticket.price.amount > 0 ? p.ticket.price : null;
  const [decision, setDecision] = useState<'pay' | 'accept'>(due ? 'pay' : 'accept');
  const [note, setNote] = useState('');
  async function settle() {
    const done = await ask.run(() =>
      decision === 'pay'
        ? call('registration.settle', { registrantId: p.id, decision: 'pay', payment: ask.payment! })
        : call('registration.settle', {
            registrantId: p.id,
            decision: 'accept',
            supervisor: ask.auth!,
            note: note.trim(),
          }),
    );
    if (done) onDone();
  }
  return (
    <Dialog id="settle" title={w.deskDay.settle.title(fullName(p))} onClose={onClose}>
      {p.statusNote && <p>{p.statusNote}</p>}
      <fieldset>
        <legend>{w.deskDay.settle.how}</legend>
        {due && (
          <label className="radio">
            <input
              type="radio"
              name="settle-decision"
              checked={decision === 'pay'}
              onChange={() => setDecision('pay')}
            />{' '}
            {w.deskDay.settle.pay(p.ticket.name, w.deskDay.money(due))}
          </label>
        )}
        <label className="radio">
          <input
            type="radio"
            name="settle-decision"
            checked={decision === 'accept'}
            onChange={() => setDecision('accept')}
          />{' '}
          {w.deskDay.settle.accept}
        </label>
      </fieldset>
      {decision === 'pay' && due && (
        <PaymentFields id="settle" amount={due} value={ask.payment} onChange={ask.setPayment} />
      )}
      {decision === 'accept' && (
        <>
          <div className="field">
            <label htmlFor="settle-note">{w.deskDay.settle.note}</label>
            <input id="settle-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          </div>
          <SupervisorFields id="settle" onChange={ask.setAuth} />
        </>
      )}
      {ask.error && <DeskError error={ask.error} />}
      <DialogActions
        action={
          decision === 'pay' && due ? w.deskDay.settle.payAction(w.deskDay.money(due)) : w.deskDay.settle.acceptAction
        }
        disabled={ask.busy || (decision === 'pay' ? !ask.payment : !ask.auth || !note.trim())}
        onAction={() => void settle()}
        onCancel={onClose}
      />
    </Dialog>
  );
}

/** Another ticket type: the station answers with the difference to pay, or that a supervisor must agree. */
export function ChangeTicketDialog({ p, onDone, onClose }: DialogProps) {
  const w = useWords();
  const call = useCall();
  const ask = useAsk();
  const tickets = useStation('ticketTypes.list', {});
  const others = (tickets.data ?? []).filter((t) => t.id !== p.ticketTypeId);
  const [to, setTo] = useState('');
  const target = others.find((t) => t.id === (to || others[0]?.id));
  const [reason, setReason] = useState('');
  async function change() {
    if (!target) return;
    const done = await ask.run((extra) =>
      call('registration.changeTicket', {
        registrantId: p.id,
        ticketTypeId: target.id,
        reason: reason.trim(),
        ...extra,
      }),
    );
    if (done) onDone();
  }
  return (
    <Dialog id="change-ticket" title={w.deskDay.change.title(fullName(p))} onClose={onClose}>
      <p>{w.deskDay.change.now(p.ticket.name, p.ticket.price ? w.deskDay.money(p.ticket.price) : w.deskDay.free)}</p>
      <div className="field">
        <label htmlFor="change-ticket-to">{w.deskDay.change.to}</label>
        <select
          id="change-ticket-to"
          value={target?.id ?? ''}
          disabled={ask.needs.payment !== null || ask.needs.supervisor}
          onChange={(e) => setTo(e.target.value)}
        >
          {others.map((t) => (
            <option key={t.id} value={t.id}>
              {`${t.name} · ${t.price ? w.deskDay.money(t.price) : w.deskDay.free}${t.privileged ? ` · ${w.deskDay.change.privileged}` : ''}`}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="change-ticket-reason">{w.deskDay.reasonOptional}</label>
        <input id="change-ticket-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      {p.printed && <Notice kind="info">{w.deskDay.change.reprint}</Notice>}
      <AskFields id="change-ticket" ask={ask} />
      <DialogActions
        action={
          ask.needs.payment
            ? w.deskDay.change.payAndChange(w.deskDay.money(ask.needs.payment))
            : w.deskDay.change.action(target?.name ?? '')
        }
        disabled={!target || ask.busy || !ask.ready}
        onAction={() => void change()}
        onCancel={onClose}
      />
    </Dialog>
  );
}

/** The registration (ticket, seats, payments) goes to another person; a printed badge stops working. */
export function TransferDialog({ p, onDone, onClose }: DialogProps) {
  const w = useWords();
  const call = useCall();
  const ask = useAsk();
  const [to, setTo] = useState({ firstName: '', lastName: '', email: '', company: '' });
  const [reason, setReason] = useState('');
  const labels = {
    firstName: w.desk.walkup.first,
    lastName: w.desk.walkup.last,
    email: w.desk.walkup.email,
    company: w.desk.walkup.company,
  };
  async function transfer() {
    const done = await ask.run(() => call('registration.transfer', { registrantId: p.id, to, reason: reason.trim() }));
    if (done) onDone();
  }
  return (
    <Dialog id="transfer" title={w.deskDay.transfer.title(fullName(p))} onClose={onClose}>
      <p>{w.deskDay.transfer.what(p.ticket.name, p.sessions.length)}</p>
      {p.printed && <Notice kind="warn">{w.deskDay.transfer.badgeVoided}</Notice>}
      {(Object.keys(labels) as (keyof typeof labels)[]).map((f) => (
        <div className="field" key={f}>
          <label htmlFor={`transfer-${f}`}>{labels[f]}</label>
          <input
            id={`transfer-${f}`}
            type={f === 'email' ? 'email' : 'text'}
            value={to[f]}
            maxLength={f === 'email' ? 254 : 200}
            onChange={(e) => setTo({ ...to, [f]: e.target.value })}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor="transfer-reason">{w.common.reason}</label>
        <input id="transfer-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      <AskFields id="transfer" ask={ask} />
      <DialogActions
        action={w.deskDay.transfer.action}
        disabled={ask.busy || !(to.firstName.trim() || to.lastName.trim()) || !reason.trim()}
        onAction={() => void transfer()}
        onCancel={onClose}
      />
    </Dialog>
  );
}

/** Gives a seat back, whatever it came from (this desk's sale, the import, HQ). */
export function ReleaseSeatDialog({ p, sessionId, onDone, onClose }: DialogProps & { sessionId: string }) {
  const w = useWords();
  const call = useCall();
  const ask = useAsk();
  const [title] = useState(() => p.sessions.find((x) => x.sessionId === sessionId)?.title ?? '');
  const [reason, setReason] = useState('');
  async function release() {
    const done = await ask.run(() => call('seat.release', { registrantId: p.id, sessionId, reason: reason.trim() }));
    if (done) onDone();
  }
  return (
    <Dialog id="release" title={w.deskDay.seat.releaseTitle(title)} onClose={onClose}>
      <p>{w.deskDay.seat.releaseWhat(fullName(p))}</p>
      <div className="field">
        <label htmlFor="release-reason">{w.desk.releaseReason}</label>
        <input id="release-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      <AskFields id="release" ask={ask} />
      <DialogActions
        action={w.desk.release}
        disabled={ask.busy || !reason.trim()}
        onAction={() => void release()}
        onCancel={onClose}
      />
    </Dialog>
  );
}

/**
 * A seat in one session for one in another: the station's preview of the new seat (this desk's tier, or why not,
 * and its price), then the swap; the old seat goes back only once the new one is the person's.
 */
export function SwapSeatDialog({ p, sessionId, onDone, onClose }: DialogProps & { sessionId: string }) {
  const w = useWords();
  const call = useCall();
  const ask = useAsk();
  // The old seat's title, kept: once the swap is done the person no longer holds it.
  const [fromTitle] = useState(() => p.sessions.find((x) => x.sessionId === sessionId)?.title ?? '');
  const sessions = useStation('sessions.list', {});
  const held = new Set(p.sessions.map((s) => s.sessionId));
  const choices = (sessions.data ?? []).filter((s) => s.sellable && !held.has(s.id));
  const [to, setTo] = useState('');
  const target = choices.find((s) => s.id === (to || choices[0]?.id));
  const preview = useStation('sale.preview', target ? { sessionId: target.id, registrantId: p.id } : null);
  const [message, setMessage] = useState<string | null>(null);
  const refused = ask.error?.code === 'refused' || (preview.data && !preview.data.allowed);
  async function swap() {
    if (!target) return;
    const done = await ask.run(({ payment, supervisor }) =>
      call('seat.swap', {
        registrantId: p.id,
        fromSessionId: sessionId,
        toSessionId: target.id,
        ...(payment ? { payment } : {}),
        ...(supervisor ? { override: supervisor } : {}),
      }),
    );
    if (done) setMessage(done.released ? w.deskDay.seat.swapped(target.title) : w.deskDay.seat.swapWaiting);
  }
  if (message)
    return (
      <Dialog id="swap" title={w.deskDay.seat.swapTitle(fromTitle)} onClose={onDone}>
        <Notice kind="ok">{message}</Notice>
        <div className="actions">
          <button type="button" className="primary" autoFocus onClick={onDone}>
            {w.common.done}
          </button>
        </div>
      </Dialog>
    );
  const pv = preview.data;
  return (
    <Dialog id="swap" title={w.deskDay.seat.swapTitle(fromTitle)} onClose={onClose}>
      <div className="field">
        <label htmlFor="swap-to">{w.deskDay.seat.swapTo}</label>
        <select
          id="swap-to"
          value={target?.id ?? ''}
          disabled={ask.needs.payment !== null}
          onChange={(e) => (setTo(e.target.value), ask.setError(null))}
        >
          {choices.map((s) => (
            <option key={s.id} value={s.id}>
              {`${s.title} · ${w.common.time(s.startsAt)} · ${s.room}`}
            </option>
          ))}
        </select>
      </div>
      {choices.length === 0 && sessions.data && <p>{w.deskDay.seat.noOther}</p>}
      {/* The list price; what is due (less the old seat, if the station counts it) comes with the station's answer. */}
      {pv && (
        <p>
          {w.deskDay.seat.price(pv.price ? w.deskDay.money(pv.price) : w.deskDay.free)}
          {pv.allowed && pv.tier ? ` · ${w.desk.sessions.tier[pv.tier]}` : ''}
        </p>
      )}
      {pv && !pv.allowed && (
        <Notice kind="warn" title={w.desk.sessions.refusedTitle}>
          <ReasonList reasons={pv.failed.map(w.failed)} />
        </Notice>
      )}
      {refused && !ask.needs.supervisor && (
        <button type="button" className="secondary" onClick={() => ask.setNeeds({ ...ask.needs, supervisor: true })}>
          {w.desk.sessions.override}
        </button>
      )}
      <AskFields id="swap" ask={ask} />
      <DialogActions
        action={
          ask.needs.payment ? w.deskDay.seat.payAndSwap(w.deskDay.money(ask.needs.payment)) : w.deskDay.seat.swapAction
        }
        disabled={!target || ask.busy || !ask.ready || (pv !== undefined && !pv.allowed && !ask.needs.supervisor)}
        onAction={() => void swap()}
        onCancel={onClose}
      />
    </Dialog>
  );
}

/** The person's payments at this desk; a void (a mistake) or refund (money given back) needs a supervisor's PIN. */
export function PaymentsList({ p, onReverse }: { p: Person; onReverse(id: string, kind: 'void' | 'refund'): void }) {
  const w = useWords();
  if (p.payments.length === 0) return <p>{w.deskDay.pay.none}</p>;
  return (
    <ul className="payments">
      {p.payments.map((x) => (
        <li key={x.id} className={x.status}>
          <span>
            {`${x.description} · ${w.deskDay.money(x)} · ${w.desk.walkup.methods[x.method]}`}
            {x.reference ? ` (${x.reference})` : ''}
            {` · ${w.common.time(x.createdAt)} · `}
            <strong>{w.deskDay.pay.status[x.status]}</strong>
            {x.closeReason ? ` — ${x.closeReason}` : ''}
          </span>
          {x.status === 'paid' && (
            <span className="row-actions">
              <button
                type="button"
                className="link"
                aria-label={`${w.deskDay.pay.void}: ${x.description}`}
                onClick={() => onReverse(x.id, 'void')}
              >
                {w.deskDay.pay.void}
              </button>
              <button
                type="button"
                className="link"
                aria-label={`${w.deskDay.pay.refund}: ${x.description}`}
                onClick={() => onReverse(x.id, 'refund')}
              >
                {w.deskDay.pay.refund}
              </button>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function ReverseDialog({
  p,
  paymentId,
  kind,
  onDone,
  onClose,
}: DialogProps & { paymentId: string; kind: 'void' | 'refund' }) {
  const w = useWords();
  const call = useCall();
  const ask = useAsk();
  const x = p.payments.find((y) => y.id === paymentId);
  const [reason, setReason] = useState('');
  async function reverse() {
    const done = await ask.run(() =>
      call('payment.reverse', { paymentId, kind, reason: reason.trim(), supervisor: ask.auth! }),
    );
    if (done) onDone();
  }
  if (!x) return null;
  const what = `${w.deskDay.money(x)} · ${w.desk.walkup.methods[x.method]}${x.reference ? ` (${x.reference})` : ''}`;
  return (
    <Dialog
      id="reverse"
      title={kind === 'void' ? w.deskDay.pay.voidTitle(x.description) : w.deskDay.pay.refundTitle(x.description)}
      onClose={onClose}
    >
      <p>{kind === 'void' ? w.deskDay.pay.voidWhat(what) : w.deskDay.pay.refundWhat(what)}</p>
      <div className="field">
        <label htmlFor="reverse-reason">{w.common.reason}</label>
        <input id="reverse-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      <SupervisorFields id="reverse" onChange={ask.setAuth} />
      {ask.error && <DeskError error={ask.error} />}
      <DialogActions
        action={
          kind === 'void'
            ? w.deskDay.pay.voidAction(w.deskDay.money(x))
            : w.deskDay.pay.refundAction(w.deskDay.money(x))
        }
        disabled={ask.busy || !reason.trim() || !ask.auth}
        onAction={() => void reverse()}
        onCancel={onClose}
      />
    </Dialog>
  );
}

/** The receipt as the thermal printer will print it (the same raster), then printed or downloaded. */
export function ReceiptDialog({ p, onClose }: { p: Person; onClose(): void }) {
  const w = useWords();
  const call = useCall();
  const receipt = useStation('receipt.preview', { registrantId: p.id });
  const [job, setJob] = useState<PrintJobView | null>(null);
  const ask = useAsk();
  async function print() {
    const r = await ask.run(() => call('receipt.print', { registrantId: p.id }));
    if (r) setJob(r);
  }
  const r = receipt.data;
  return (
    <Dialog id="receipt" title={w.deskDay.receipt.title(fullName(p))} onClose={onClose}>
      {receipt.error && <DeskError error={receipt.error} />}
      {r && (
        <>
          <p>{r.total ? w.deskDay.receipt.total(w.deskDay.money(r.total)) : w.deskDay.receipt.nothing}</p>
          {/* Scrolls when long: reachable by keyboard. */}
          <div className="receipt-frame" tabIndex={0} role="region" aria-label={w.deskDay.receipt.title(fullName(p))}>
            <img src={`data:image/png;base64,${r.png}`} width={r.width} height={r.height} alt={r.lines.join('\n')} />
          </div>
        </>
      )}
      {job && (
        <Notice
          kind={job.status === 'printed' ? 'ok' : job.status === 'failed' ? 'error' : 'warn'}
          title={w.desk.jobOutcome[job.status]}
        >
          {job.words && <p>{job.words}</p>}
        </Notice>
      )}
      {ask.error && <DeskError error={ask.error} />}
      <div className="actions">
        <button type="button" className="primary" disabled={!r || ask.busy} onClick={() => void print()}>
          {w.deskDay.receipt.print}
        </button>
        {r && (
          <button
            type="button"
            className="secondary"
            onClick={() => downloadFile(`receipt-${p.confirmationCode}.png`, pngBlob(r.png))}
          >
            {w.deskDay.receipt.download}
          </button>
        )}
        <button type="button" className="secondary" onClick={onClose}>
          {w.common.close}
        </button>
      </div>
    </Dialog>
  );
}
