/**
 * Staff sign in per station with their PIN; the shell keeps the session for this window and ends it after a
 * while without use. Names are big buttons (no typing a user name at 8:45), the PIN field takes digits only.
 */
import { useState, type FormEvent } from 'react';
import type { StaffSessionView } from '../../core/api';
import type { AppError } from '../../core/result';
import { useWords } from '../i18n/i18n';
import { useCall, useStation } from '../station';
import { ErrorNotice } from './Notice';

export function SignIn({
  onSignedIn,
  onlyRole,
  title,
}: {
  onSignedIn(s: StaffSessionView): void;
  onlyRole?: 'supervisor';
  title?: string;
}) {
  const w = useWords();
  const call = useCall();
  const staff = useStation('staff.list', {});
  const [who, setWho] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const people = (staff.data ?? []).filter((s) => !onlyRole || s.role === onlyRole);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!who || busy) return;
    setBusy(true);
    const r = await call('staff.signIn', { staffId: who, pin });
    setBusy(false);
    setPin('');
    if (r.ok) onSignedIn(r.value);
    else setError(r.error);
  }

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{title ?? w.common.signInTitle}</h2>
      <p>{w.common.signInLead}</p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{w.common.chooseStaff}</legend>
          {staff.data && people.length === 0 && <p className="notice notice-warn">{w.common.noStaff}</p>}
          <div className="choices">
            {people.map((s) => (
              <button
                key={s.id}
                type="button"
                className={`choice ${who === s.id ? 'chosen' : ''}`}
                aria-pressed={who === s.id}
                onClick={() => (setWho(s.id), setError(null))}
              >
                {s.name}
              </button>
            ))}
          </div>
        </fieldset>
        {who && (
          <div className="field">
            <label htmlFor="pin">{w.common.pin}</label>
            <input
              id="pin"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              pattern="[0-9]*"
              maxLength={12}
              value={pin}
              autoFocus
              onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            />
          </div>
        )}
        {error && <ErrorNotice error={error} />}
        <button type="submit" className="primary" disabled={!who || pin.length < 4 || busy}>
          {w.common.signIn}
        </button>
      </form>
    </section>
  );
}

/** Who is signed in at this screen (asked once; sign-in and sign-out update it). */
export function useStaffSession(): {
  session: StaffSessionView | null | undefined;
  set(s: StaffSessionView | null): void;
  signOut(): Promise<void>;
} {
  const call = useCall();
  const current = useStation('staff.session', {});
  const [override, setOverride] = useState<StaffSessionView | null | undefined>(undefined);
  const session = override !== undefined ? override : current.data;
  return {
    session,
    set: setOverride,
    async signOut() {
      await call('staff.signOut', {});
      setOverride(null);
    },
  };
}
