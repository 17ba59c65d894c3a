/**
 * The supervisor's console (issue 14): the reconciliation inbox, the availability board, the sync engine in detail,
 * printers, imports and settings, beside the desk's own screens (a supervisor also serves the queue). A desk-role
 * member signed in here does not see imports and settings. New cases and lost resolutions raise
 * a toast on any tab.
 */
import { useState } from 'react';
import type { StaffSessionView } from '../../../core/api';
import { Header } from '../../components/Header';
import { SignIn, useStaffSession } from '../../components/SignIn';
import { useWords } from '../../i18n/i18n';
import { useStation } from '../../station';
import { FindPanel } from '../desk/FindPanel';
import { PrintQueue } from '../desk/PrintQueue';
import { SessionsPanel } from '../desk/SessionsPanel';
import { WalkUpForm } from '../desk/WalkUpForm';
import { BoardPanel } from './BoardPanel';
import { CasesPanel } from './CasesPanel';
import { ImportPanel } from './ImportPanel';
import { PrintersPanel } from './PrintersPanel';
import { SettingsPanel } from './SettingsPanel';
import { SyncPanel } from './SyncPanel';
import { Toasts } from './Toasts';

type Tab = 'cases' | 'board' | 'sync' | 'printers' | 'imports' | 'settings' | 'find' | 'walkup' | 'sessions' | 'queue';
const tabs: Tab[] = [
  'cases',
  'board',
  'sync',
  'printers',
  'imports',
  'settings',
  'find',
  'walkup',
  'sessions',
  'queue',
];
/** Tabs a desk-role member signed in here does not see (the station refuses their channels to that role anyway). */
const supervisorOnly = new Set<Tab>(['imports', 'settings']);

export function SupervisorScreen() {
  const w = useWords();
  const staff = useStaffSession();
  const [tab, setTab] = useState<Tab>('cases');
  const [person, setPerson] = useState<string | null>(null);
  const open = useStation('cases.list', staff.session ? { status: 'open' } : null, {
    refreshOn: ['case.opened', 'notification'],
  });

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
  const openCount = open.data?.length ?? 0;
  return (
    <>
      {header(staff.session)}
      <nav className="tabs" aria-label={w.header.modes.supervisor}>
        {tabs
          .filter((t) => staff.session!.role === 'supervisor' || !supervisorOnly.has(t))
          .map((t) => (
            <button
              key={t}
              type="button"
              className={t === tab ? 'current' : ''}
              aria-current={t === tab ? 'page' : undefined}
              onClick={() => setTab(t)}
            >
              {w.supervisor.tabs[t]}
              {t === 'cases' && openCount > 0 && <span className="count">{openCount}</span>}
            </button>
          ))}
      </nav>
      <Toasts onCase={() => setTab('cases')} />
      <main id="main" className="desk console">
        {tab === 'cases' && <CasesPanel me={staff.session} onPerson={(id) => choose(id)} />}
        {tab === 'board' && <BoardPanel />}
        {tab === 'sync' && <SyncPanel />}
        {tab === 'printers' && <PrintersPanel />}
        {tab === 'imports' && staff.session.role === 'supervisor' && <ImportPanel />}
        {tab === 'settings' && staff.session.role === 'supervisor' && <SettingsPanel me={staff.session} />}
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
      </main>
    </>
  );
}
