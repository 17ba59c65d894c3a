/**
 * The sync engine as a supervisor checks it when something is not arriving: the link over the last hour as a
 * time line, HQ's freshness, the outbox with the backlog draining and its oldest event's age, what came in and
 * what was quarantined (with why), the seats this station holds, and the "work offline" switch.
 */
import type { SyncDetails } from '../../../core/api';
import { ErrorNotice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';

export function SyncPanel() {
  const w = useWords();
  const sw = w.supervisor.sync;
  const call = useCall();
  const d = useStation(
    'sync.details',
    {},
    { refreshOn: ['connectivity', 'hq.contact', 'outbox.appended'], pollMs: 3000 },
  );
  const s = d.data?.status;
  return (
    <section className="sync" aria-labelledby="sync-title">
      <h2 id="sync-title">{sw.title}</h2>
      {d.error && <ErrorNotice error={d.error} />}
      {d.data && s && (
        <>
          <h3>{sw.history}</h3>
          {s.configured ? <Timeline h={d.data.history} /> : <p>{sw.historyNone}</p>}
          {s.configured && (
            <div className="switch">
              <label>
                <input
                  type="checkbox"
                  checked={s.workOffline}
                  onChange={(e) => void call('sync.setWorkOffline', { on: e.target.checked }).then(d.reload)}
                />{' '}
                {sw.workOffline}
              </label>
              <p className="hint">{sw.workOfflineHint}</p>
            </div>
          )}
          <dl className="facts">
            <dt>{sw.freshness}</dt>
            <dd>
              {s.staleness.known
                ? w.header.hqAge(s.staleness.minutes)
                : `${w.header.hqUnknown} (${w.staleness[s.staleness.reason]})`}
            </dd>
            <dt>{sw.outbox}</dt>
            <dd>
              {w.header.waiting(s.outbox.depth)} · {sw.oldest(s.outbox.oldestAgeMin)}
            </dd>
            <dt>{sw.inbox(s.inbox.applied, s.inbox.quarantined).split(':')[0]}</dt>
            <dd>{sw.inbox(s.inbox.applied, s.inbox.quarantined).split(':').slice(1).join(':')}</dd>
          </dl>
          {d.data.drain && (
            <div className="drain">
              <label htmlFor="drain">{sw.drain(d.data.drain.sent, d.data.drain.total)}</label>
              <progress id="drain" max={d.data.drain.total} value={d.data.drain.sent} />
            </div>
          )}
          {d.data.quarantined.length > 0 && (
            <>
              <h3>{sw.quarantined}</h3>
              <ul className="quarantined">
                {d.data.quarantined.map((q) => (
                  <li key={q.id}>
                    {w.common.time(q.receivedAt)} · {q.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{sw.allotments}</h3>
          {d.data.allotments.length === 0 ? (
            <p>{sw.noAllotments}</p>
          ) : (
            <ul>
              {d.data.allotments.map((a) => (
                <li key={a.allotmentId}>{sw.allotment(a.title, a.remaining, a.seats)}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Timeline({ h }: { h: SyncDetails['history'] }) {
  const w = useWords();
  const from = Date.parse(h.from);
  const span = Math.max(1, Date.parse(h.to) - from);
  return (
    <div className="timeline-wrap">
      <div className="timeline" role="list">
        {h.spans.map((s, i) => (
          <span
            key={i}
            role="listitem"
            className={`tl tl-${s.state}`}
            style={{
              left: `${((Date.parse(s.from) - from) / span) * 100}%`,
              width: `${Math.max(0.5, ((Date.parse(s.to) - Date.parse(s.from)) / span) * 100)}%`,
            }}
            title={`${w.common.time(s.from)}–${w.common.time(s.to)}: ${s.reason}`}
            aria-label={`${w.common.time(s.from)}–${w.common.time(s.to)}: ${w.supervisor.sync.states[s.state]}`}
          />
        ))}
      </div>
      <p className="timeline-ends">
        <span>{w.common.time(h.from)}</span>
        <span>{w.common.time(h.to)}</span>
      </p>
    </div>
  );
}
