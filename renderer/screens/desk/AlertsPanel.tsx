/** What needs staff: oversold sales (cases), badges printed twice while stations were apart, and news as it comes. */
import { useState } from 'react';
import type { OversellCase } from '../../../core/api';
import type { StationEventOf } from '../../../core/events';
import { Notice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useStation, useStationEvent } from '../../station';

export function AlertsPanel({ onPerson }: { onPerson(id: string): void }) {
  const w = useWords();
  const cases = useStation('cases.list', { status: 'open' }, { refreshOn: ['case.opened'] });
  const dups = useStation('badge.duplicates', {}, { refreshOn: ['notification'] });
  const [news, setNews] = useState<StationEventOf<'notification'>[]>([]);
  useStationEvent(['notification'], (e) => e.type === 'notification' && setNews((n) => [e, ...n].slice(0, 20)));
  const t = (s: string, at: string) => [w.common.stationName(s), w.common.time(at)] as const;
  const sessions = useStation('sessions.list', {});
  const titles = new Map((sessions.data ?? []).map((x) => [x.id, x.title]));
  const nothing = (cases.data?.length ?? 0) === 0 && (dups.data?.length ?? 0) === 0 && news.length === 0;
  return (
    <section className="alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{w.desk.alerts.title}</h2>
      {nothing && <p>{w.desk.alerts.none}</p>}
      {news.map((n, i) => (
        <Notice
          key={i}
          kind={n.kind === 'case.resolved' || n.kind === 'waitlist.promoted' ? 'info' : 'warn'}
          title={n.title}
        >
          <p>{n.message}</p>
        </Notice>
      ))}
      {(dups.data?.length ?? 0) > 0 && (
        <>
          <h3>{w.desk.alerts.twice}</h3>
          <p>{w.desk.alerts.reprintHint}</p>
          <ul className="alert-list">
            {dups.data!.map((d) => {
              const [a, b] = d.prints;
              return (
                <li key={d.registrantId}>
                  <button type="button" className="link" onClick={() => onPerson(d.registrantId)}>
                    {d.name}
                  </button>{' '}
                  {a && b && w.desk.alerts.printedAtBoth(...t(a.station, a.printedAt), ...t(b.station, b.printedAt))}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {(cases.data?.length ?? 0) > 0 && (
        <>
          <h3>{w.desk.alerts.cases}</h3>
          <ul className="alert-list">
            {cases.data!.map((c) => (
              <CaseRow key={c.id} c={c} title={titles.get(c.sessionId) ?? c.sessionId} onPerson={onPerson} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CaseRow({ c, title, onPerson }: { c: OversellCase; title: string; onPerson(id: string): void }) {
  const w = useWords();
  const who = useStation('registrant.get', { id: c.registrantId });
  return (
    <li>
      <button type="button" className="link" onClick={() => onPerson(c.registrantId)}>
        {who.data ? `${who.data.firstName} ${who.data.lastName}` : c.registrantId}
      </button>{' '}
      — {title}
      {c.overBy !== null && `, ${w.desk.alerts.overBy(c.overBy)}`}
      {c.openedAt && ` (${w.common.time(c.openedAt)})`}
    </li>
  );
}
