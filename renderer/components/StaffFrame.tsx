/**
 * The frame of the staff screens (desk, supervisor): the header with who is signed in and a way out, the sign-in
 * until someone is, then a row of tabs over the current tab's panel. One copy for both screens.
 */
import type { ReactNode } from 'react';
import type { StaffSessionView } from '../../core/api';
import { useWords } from '../i18n/i18n';
import { Header } from './Header';
import { SignIn, type useStaffSession } from './SignIn';

export function StaffFrame<T extends string>({
  staff,
  label,
  tabs,
  current,
  onTab,
  tabName,
  count,
  beforeMain,
  mainClass = 'desk',
  children,
}: {
  staff: ReturnType<typeof useStaffSession>;
  /** The tab row's accessible name. */
  label: string;
  tabs: readonly T[];
  current: T;
  onTab(tab: T): void;
  tabName(tab: T): string;
  /** A number beside a tab (open cases, alerts); 0 shows none. */
  count?(tab: T): number;
  /** Shown on every tab, between the tabs and the panel (the console's toasts). */
  beforeMain?: ReactNode;
  mainClass?: string;
  /** The current tab's panel, for the signed-in member of staff. */
  children(session: StaffSessionView): ReactNode;
}) {
  const w = useWords();
  const s = staff.session;
  const header = (
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
  if (s === undefined) return header;
  if (s === null)
    return (
      <>
        {header}
        <main id="main" className="desk">
          <SignIn onSignedIn={staff.set} />
        </main>
      </>
    );
  return (
    <>
      {header}
      <nav className="tabs" aria-label={label}>
        {tabs.map((t) => {
          const n = count?.(t) ?? 0;
          return (
            <button
              key={t}
              type="button"
              className={t === current ? 'current' : ''}
              aria-current={t === current ? 'page' : undefined}
              onClick={() => onTab(t)}
            >
              {tabName(t)}
              {n > 0 && <span className="count">{n}</span>}
            </button>
          );
        })}
      </nav>
      {beforeMain}
      <main id="main" className={mainClass}>
        {children(s)}
      </main>
    </>
  );
}
