/**
 * The registration desk: tired staff at 8:45 with a queue (STYLE 12). Sign in once; then find a person (type or
 * scan), print or reprint their badge, register walk-ups, sell a session seat with the station's own preview of
 * what this desk may do, and keep an eye on the print queue and the alerts. The supervisor's station shows the
 * same screens until its own console (cases, overrides) is built on them.
 */
import { useState } from 'react';
import type { StaffSessionView } from '../../../core/api';
import { Header } from '../../components/Header';
import { SignIn, useStaffSession } from '../../components/SignIn';
import { useWords } from '../../i18n/i18n';
import { useStation } from '../../station';
import { AlertsPanel } from './AlertsPanel';
import { DayPanel } from './DayPanel';
import { FindPanel } from './FindPanel';
import { PrintQueue } from './PrintQueue';
import { SessionsPanel } from './SessionsPanel';
import { WalkUpForm } from './WalkUpForm';

type Tab = 'find' | 'walkup' | 'sessions' | 'queue' | 'day' | 'alerts';
const tabs: Tab[] = ['find', 'walkup', 'sessions', 'queue', 'day', 'alerts'];

export function DeskScreen() {
  const w = useWords();
  const staff = useStaffSession();
  const [tab, setTab] = useState<Tab>('find');
  const [person, setPerson] = useState<string | null>(null);
  const alerts = useStation(
    staff.session ? 'badge.duplicates' : 'station.settings',
    {},
    { refreshOn: ['notification', 'case.opened'] },
  );
  const cases = useStation('cases.list', staff.session ? { status: 'open' } : null, { refreshOn: ['case.opened'] });
  const alertCount = (Array.isArray(alerts.data) ? alerts.data.length : 0) + (cases.data?.length ?? 0);

  const signedOut = () => staff.set(null);
  const header = (s: StaffSessionView | null) => (
    <Header>
      {s && (
        <div className="who">
          <span>{w.common.signedInAs(s.name)}</span>
          <button type="button" className="link" onClick={() => void staff.signOut()}>
            {w.common.signOut}
          </button>
        </div>
      )}
    </Header>
  );

  if (staff.session === undefined) return <>{header(null)}</>;
  if (staff.session === null) {
    return (
      <>
        {header(null)}
        <main id="main" className="desk">
          <SignIn onSignedIn={staff.set} />
        </main>
      </>
    );
  }
  const choose = (id: string, then: Tab = 'find') => {
    setPerson(id);
    setTab(then);
  };
  return (
    <>
      {header(staff.session)}
      <nav className="tabs" aria-label="Desk">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            className={t === tab ? 'current' : ''}
            aria-current={t === tab ? 'page' : undefined}
            onClick={() => setTab(t)}
          >
            {w.desk.tabs[t]}
            {t === 'alerts' && alertCount > 0 && <span className="count">{alertCount}</span>}
          </button>
        ))}
      </nav>
      <main id="main" className="desk">
        {tab === 'find' && (
          <FindPanel
            person={person}
            onPerson={setPerson}
            onAddSession={(id) => choose(id, 'sessions')}
            onSignedOut={signedOut}
          />
        )}
        {tab === 'walkup' && <WalkUpForm onRegistered={(id) => choose(id)} onSignedOut={signedOut} />}
        {tab === 'sessions' && <SessionsPanel person={person} onSignedOut={signedOut} />}
        {tab === 'queue' && <PrintQueue onSignedOut={signedOut} />}
        {tab === 'day' && <DayPanel onSignedOut={signedOut} />}
        {tab === 'alerts' && <AlertsPanel onPerson={(id) => choose(id)} />}
      </main>
    </>
  );
}
