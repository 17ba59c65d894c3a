/**
 * The door: choose the door, then scan — a keyboard-wedge scanner anywhere, or the camera. Each badge is checked by
 * the station offline (signature, station key, revocation) and recorded; the whole screen turns green with the
 * name, or red with the reason, then back to scanning. Counts in against the room's seats.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionView } from '../../../core/api';
import type { BadgeVerification } from '../../../core/badge/views';
import type { AppError } from '../../../core/result';
import { Header } from '../../components/Header';
import { ErrorNotice } from '../../components/Notice';
import { SignIn, useStaffSession } from '../../components/SignIn';
import { useScanner } from '../../components/useScanner';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { Camera } from './Camera';

type Door = { sessionId: string | null; title: string };
type Verdict = { ok: true; name: string; again: string | null } | { ok: false; reason: string };

export function DoorScreen() {
  const w = useWords();
  const staff = useStaffSession();
  const [door, setDoor] = useState<Door | null>(null);
  const signOut = (
    <>
      {staff.session && (
        <div className="who">
          <span>{w.common.signedInAs(staff.session.name)}</span>
          <button type="button" className="link" onClick={() => void staff.signOut()}>
            {w.common.signOut}
          </button>
        </div>
      )}
    </>
  );
  return (
    <>
      <Header>{signOut}</Header>
      <main id="main" className="door">
        {staff.session === null && <SignIn onSignedIn={staff.set} />}
        {staff.session && !door && <ChooseDoor onChoose={setDoor} />}
        {staff.session && door && (
          <Scan door={door} onChange={() => setDoor(null)} onSignedOut={() => staff.set(null)} />
        )}
      </main>
    </>
  );
}

function ChooseDoor({ onChoose }: { onChoose(d: Door): void }) {
  const w = useWords();
  const sessions = useStation('sessions.list', {});
  return (
    <section aria-labelledby="door-title">
      <h1 id="door-title">{w.door.chooseTitle}</h1>
      <div className="choices doors">
        <button type="button" className="choice" onClick={() => onChoose({ sessionId: null, title: w.door.entrance })}>
          {w.door.entrance}
        </button>
        {(sessions.data ?? []).map((s: SessionView) => (
          <button
            key={s.id}
            type="button"
            className="choice"
            onClick={() => onChoose({ sessionId: s.id, title: s.title })}
          >
            <span className="choice-title">{s.title}</span>
            <span className="choice-more">{w.desk.sessions.starts(w.common.time(s.startsAt), s.room)}</span>
          </button>
        ))}
      </div>
    </section>
  );
}

function Scan({ door, onChange, onSignedOut }: { door: Door; onChange(): void; onSignedOut(): void }) {
  const w = useWords();
  const call = useCall();
  const sessions = useStation('sessions.list', {}, { refreshOn: ['availability.changed'] });
  const status = useStation('station.status', {});
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [camera, setCamera] = useState(false);
  const busy = useRef(false);
  const last = useRef<{ code: string; at: number } | null>(null);
  const here = sessions.data?.find((s) => s.id === door.sessionId);

  const check = useCallback(
    async (code: string) => {
      // The camera sees the same badge many times a second: one check per badge per few seconds.
      if (busy.current || (last.current && last.current.code === code && Date.now() - last.current.at < 4000)) return;
      busy.current = true;
      last.current = { code, at: Date.now() };
      try {
        const v = await call('badge.verify', { code });
        if (!v.ok) return signedOutOr(v.error);
        const b: BadgeVerification = v.value;
        if (!b.valid) return setVerdict({ ok: false, reason: b.reason ? w.door.reasons[b.reason] : b.message });
        const c = await call('checkin.record', { registrantId: b.registrantId!, sessionId: door.sessionId });
        if (!c.ok) {
          if (c.error.code === 'conflict') return setVerdict({ ok: false, reason: w.door.noSeat });
          return signedOutOr(c.error);
        }
        setVerdict({ ok: true, name: b.name ?? b.registrantId!, again: c.value.firstTime ? null : c.value.at });
        sessions.reload();
        status.reload();
      } finally {
        busy.current = false;
      }
    },
    [call, door.sessionId, w, sessions, status],
  );
  function signedOutOr(e: AppError) {
    if (e.code === 'unauthorized') onSignedOut();
    else setError(e);
  }
  useScanner((code) => void check(code), { minLength: 8 });
  useEffect(() => {
    if (!verdict) return;
    const t = setTimeout(() => setVerdict(null), verdict.ok ? 2500 : 5000);
    return () => clearTimeout(t);
  }, [verdict]);

  if (verdict) {
    return (
      <section className={`verdict ${verdict.ok ? 'verdict-ok' : 'verdict-no'}`} role="alert" aria-live="assertive">
        <p className="verdict-mark" aria-hidden="true">
          {verdict.ok ? '✓' : '✕'}
        </p>
        <h1>{verdict.ok ? w.door.welcome(verdict.name) : w.door.refused}</h1>
        <p className="verdict-words">
          {verdict.ok ? (verdict.again ? w.door.again(w.common.time(verdict.again)) : w.door.valid) : verdict.reason}
        </p>
        <button type="button" className="primary" autoFocus onClick={() => setVerdict(null)}>
          {w.door.next}
        </button>
      </section>
    );
  }
  return (
    <section className="scan" aria-labelledby="scan-title">
      <h1 id="scan-title">{w.door.scanTitle(door.title)}</h1>
      <p className="counts" role="status">
        {here
          ? w.door.counts(here.checkedIn, here.availability.capacity)
          : w.door.countsEntrance(status.data?.counts.checkIns ?? 0)}
      </p>
      <p className="lead">{w.door.scanHint}</p>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="button" className="primary" onClick={() => setCamera((c) => !c)}>
          {camera ? w.door.stopCamera : w.door.useCamera}
        </button>
        <button type="button" className="secondary" onClick={onChange}>
          {w.door.change}
        </button>
      </div>
      {camera && <Camera onCode={(c) => void check(c)} />}
    </section>
  );
}
