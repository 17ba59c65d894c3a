/**
 * Printers: each configured printer's state as it last answered (online, paper out, cover open, unknown), a test
 * page, a chosen registrant's badge as each printer would print it, the print log with reprints and voids, and the
 * badge versions that no longer open doors.
 */
import { useState } from 'react';
import type { AppError } from '../../../core/result';
import { BadgeImage } from '../../components/BadgeImage';
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
    if (r.ok)
      setNote(pw.testDone(uri, w.desk.jobOutcome[r.value.status as keyof typeof w.desk.jobOutcome] ?? r.value.status));
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
          <li
            key={p.uri}
            className={`job ${p.state === 'ready' ? 'job-printed' : p.state === null || p.state === 'unknown' ? 'job-uncertain' : 'job-failed'}`}
          >
            <p className="job-name">{p.uri}</p>
            <p className="job-state">
              {pw.state(p.state)}
              {p.words && p.words !== p.state ? ` — ${p.words}` : ''}
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
      {printers.data && printers.data.length > 0 && <BadgeOnEachPrinter printers={printers.data.map((p) => p.uri)} />}
      <h3>{pw.voidsTitle}</h3>
      {voids.data && voids.data.length === 0 && <p>{pw.noVoids}</p>}
      <ul>
        {(voids.data ?? []).map((v) => (
          <li key={`${v.registrantId}-${v.version}`}>
            {pw.void(v.name ?? v.registrantId, v.version, w.common.time(v.voidedAt), v.reason)}
          </li>
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

/** Whose badge to look at (found by name, e-mail or code), then the station's own render for every printer. */
function BadgeOnEachPrinter({ printers }: { printers: string[] }) {
  const w = useWords();
  const pw = w.supervisor.printers;
  const [query, setQuery] = useState('');
  const [who, setWho] = useState<{ id: string; name: string } | null>(null);
  const found = useStation('registrant.search', query.trim().length >= 2 ? { query: query.trim(), limit: 5 } : null);
  return (
    <div className="badge-each">
      <h3>{pw.previewTitle}</h3>
      <label className="file-pick">
        {pw.previewFind}
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </label>
      <div className="actions">
        {(found.data ?? []).map((r) => (
          <button
            key={r.id}
            type="button"
            aria-pressed={who?.id === r.id}
            onClick={() => setWho({ id: r.id, name: `${r.firstName} ${r.lastName}`.trim() })}
          >
            {r.firstName} {r.lastName}
          </button>
        ))}
      </div>
      {who && (
        <div className="badge-grid">
          {printers.map((uri) => (
            <PrinterBadge key={uri} uri={uri} registrantId={who.id} name={who.name} />
          ))}
        </div>
      )}
    </div>
  );
}

function PrinterBadge({ uri, registrantId, name }: { uri: string; registrantId: string; name: string }) {
  const pw = useWords().supervisor.printers;
  const preview = useStation('badge.preview', { registrantId, printer: uri });
  return (
    <figure className="preview-frame">
      {preview.data && <BadgeImage preview={preview.data} label={pw.previewAlt(name, uri)} />}
      {preview.error && <ErrorNotice error={preview.error} />}
      <figcaption>
        {uri}
        {preview.data ? ` · ${preview.data.media} · v${preview.data.version}` : ''}
      </figcaption>
    </figure>
  );
}
