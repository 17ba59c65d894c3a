/**
 * The registration desk: tired staff at 8:45 with a queue (STYLE 12). Sign in once; then find a person (type or
 * scan), print or reprint their badge, register walk-ups, sell a session seat with the station's own preview of
 * what this desk may do, and keep an eye on the print queue and the alerts. The supervisor's station shows the
 * same screens until its own console (cases, overrides) is built on them.
 */
import { useState } from 'react';
import { useStaffSession } from '../../components/SignIn';
import { StaffFrame } from '../../components/StaffFrame';
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
  const choose = (id: string, then: Tab = 'find') => {
    setPerson(id);
    setTab(then);
  };
  return (
    <StaffFrame<Tab>
      staff={staff}
      label="Desk"
      tabs={tabs}
      current={tab}
      onTab={setTab}
      tabName={(t) => w.desk.tabs[t]}
      count={(t) => (t === 'alerts' ? alertCount : 0)}
    >
      {() => (
        <>
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
        </>
      )}
    </StaffFrame>
  );
}
