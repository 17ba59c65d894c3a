/**
 * On every screen: which station and mode, the link to HQ, how old HQ's numbers are, and what is still waiting to
 * be sent — honest freshness (STYLE 13): an age, or "unknown", never a silent number.
 */
import type { ReactNode } from 'react';
import type { SyncStatus } from '../../core/api';
import { useWords } from '../i18n/i18n';
import { useLinkState, useSettings, useStation } from '../station';
import { LanguageSwitch } from './LanguageSwitch';

export function Header({ children }: { children?: ReactNode }) {
  const w = useWords();
  const settings = useSettings();
  const link = useLinkState();
  const { data: sync } = useStation(
    'sync.status',
    {},
    { refreshOn: ['connectivity', 'hq.contact', 'outbox.appended'], pollMs: 5000 },
  );
  return (
    <header className="app-header">
      <div className="brand">
        <span className="mode">{w.header.modes[settings.mode]}</span>
        <span className="station">{w.header.station(settings.stationId)}</span>
      </div>
      {sync && <SyncFacts sync={sync} />}
      <div className="header-end">
        {children}
        <LanguageSwitch />
      </div>
      {link === 'lost' && (
        <p className="screen-lost" role="alert">
          {w.header.screenLost}
        </p>
      )}
    </header>
  );
}

function linkWords(w: ReturnType<typeof useWords>, sync: SyncStatus): { state: string; text: string } {
  if (!sync.configured) return { state: 'alone', text: w.header.link.alone };
  return { state: sync.state, text: w.header.link[sync.state] };
}

function SyncFacts({ sync }: { sync: SyncStatus }) {
  const w = useWords();
  const l = linkWords(w, sync);
  const age = sync.staleness.known
    ? w.header.hqAge(sync.staleness.minutes)
    : `${w.header.hqUnknown} (${w.staleness[sync.staleness.reason]})`;
  return (
    <ul className="sync-facts">
      <li>
        <span className={`dot dot-${l.state}`} aria-hidden="true" /> {l.text}
      </li>
      <li className={sync.staleness.known && sync.staleness.minutes <= 5 ? '' : 'warn'}>{age}</li>
      <li className={sync.outbox.depth > 0 ? 'warn' : ''}>{w.header.waiting(sync.outbox.depth)}</li>
    </ul>
  );
}
