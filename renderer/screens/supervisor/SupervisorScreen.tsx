/**
 * The supervisor's console (issue 14): the reconciliation inbox, the availability board, the sync engine in detail,
 * printers, imports and settings, beside the desk's own screens (a supervisor also serves the queue). A desk-role
 * member signed in here does not see imports and settings. New cases and lost resolutions raise
 * a toast on any tab.
 */
import { useState } from 'react';
import { useStaffSession } from '../../components/SignIn';
import { StaffFrame } from '../../components/StaffFrame';
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
  const choose = (id: string, then: Tab = 'find') => {
    setPerson(id);
    setTab(then);
  };
  const openCount = open.data?.length ?? 0;
  return (
    <StaffFrame<Tab>
      staff={staff}
      label={w.header.modes.supervisor}
      tabs={tabs.filter((t) => staff.session?.role === 'supervisor' || !supervisorOnly.has(t))}
      current={tab}
      onTab={setTab}
      tabName={(t) => w.supervisor.tabs[t]}
      count={(t) => (t === 'cases' ? openCount : 0)}
      beforeMain={<Toasts onCase={() => setTab('cases')} />}
      mainClass="desk console"
    >
      {(session) => (
        <>
          {tab === 'cases' && <CasesPanel me={session} onPerson={(id) => choose(id)} />}
          {tab === 'board' && <BoardPanel />}
          {tab === 'sync' && <SyncPanel />}
          {tab === 'printers' && <PrintersPanel />}
          {tab === 'imports' && session.role === 'supervisor' && <ImportPanel />}
          {tab === 'settings' && session.role === 'supervisor' && <SettingsPanel me={session} />}
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
        </>
      )}
    </StaffFrame>
  );
}
