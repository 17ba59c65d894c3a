/**
 * Printers: each configured printer's state as it last answered (online, paper out, cover open, unknown), a test
 * page, the print log with reprints and voids, and the badge versions that no longer open doors.
 */
import { useState } from 'react';
import type { AppError } from '../../../core/result';
import { ErrorNotice, Notice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';

export function PrintersPanel() {
  const w = useWords();
  const pw = w.supervisor.printers;
  const call = useCall();
  const printers = useStation('printer.list', {}, { refreshOn: ['print.job'], pollMs: 10_000 });
  const log = useStation('print.log', { limit: 30 }, { refreshOn: ['print.job'] });
  const voids = useStation('badge.voids', { limit: 30 }, { refreshOn: ['print.job', 'notification'] });
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  async function testPage(uri: string) {
    setNote(null);
    setError(null);
    const r = await call('printer.testPage', { printer: uri, wait: true });
    if (r.ok) setNote(pw.testDone(uri, w.desk.jobOutcome[r.value.status as keyof typeof w.desk.jobOutcome] ?? r.value.status));
    else setError(r.error);
    printers.reload();
  }
  return (
    <section className="printers" aria-labelledby="printers-title">
      <h2 id="printers-title">{pw.title}</h2>
      {printers.error && <ErrorNotice error={printers.error} />}
      {note && <Notice kind="info">{note}</Notice>}
      {error && <ErrorNotice error={error} />}
      <ul className="jobs">
        {(printers.data ?? []).map((p) => (
          <li key={p.uri} className={`job ${p.state === 'online' ? 'job-printed' : p.state ? 'job-failed' : ''}`}>
            <p className="job-name">{p.uri}</p>
            <p className="job-state">
              {pw.state(p.state)}
              {p.words ? ` — ${p.words}` : ''}
              {p.paperLow ? ` · ${pw.paperLow}` : ''}
              {p.checkedAt ? ` · ${pw.checked(w.common.time(p.checkedAt))}` : ''}
            </p>
            <button type="button" onClick={() => void testPage(p.uri)}>
              {pw.testPage}
            </button>
          </li>
        ))}
      </ul>
      {printers.data && printers.data.length === 0 && <p>{pw.none}</p>}
      <h3>{pw.voidsTitle}</h3>
      {voids.data && voids.data.length === 0 && <p>{pw.noVoids}</p>}
      <ul>
        {(voids.data ?? []).map((v) => (
          <li key={`${v.registrantId}-${v.version}`}>{pw.void(v.name ?? v.registrantId, v.version, w.common.time(v.voidedAt), v.reason)}</li>
        ))}
      </ul>
      <h3>{pw.logTitle}</h3>
      <ul className="print-log">
        {(log.data ?? []).map((e) => (
          <li key={e.seq}>
            {w.common.time(e.at)} · {e.event}
            {e.status ? ` (${e.status})` : ''} · {e.printer}
            {e.words ? ` — ${e.words}` : ''} · {e.actor}
          </li>
        ))}
      </ul>
    </section>
  );
}
