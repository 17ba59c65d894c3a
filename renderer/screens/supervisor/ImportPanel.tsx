/**
 * Imports (supervisor only): a conference JSON file, or registrants from another system's CSV through a mapping
 * step — the first rows as the import reads them, a column chosen per field (guessed from the header first), the
 * required fields still unmapped named, each preview row checked against this station — then a progress bar while
 * the station writes, and the report: inserted, updated, rejected rows with their line and reason. The file is read
 * by the browser; the station does the work in its own process, so the window stays responsive.
 */
import { useState } from 'react';
import type { CsvPreview, ImportReport } from '../../../core/api';
import type { registrantCsvFields } from '../../../core/conference';
import type { AppError } from '../../../core/result';
import { ErrorNotice, Notice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation, useStationEvent } from '../../station';

type Field = (typeof registrantCsvFields)[number];
/** The preview reads only the start of a large file: enough for its first rows. */
const HEAD_BYTES = 64 * 1024;

export function ImportPanel() {
  const w = useWords();
  const iw = w.supervisor.imports;
  const call = useCall();
  const ticketTypes = useStation('ticketTypes.list', {});
  const [file, setFile] = useState<{ name: string; text: string; kind: 'json' | 'csv' } | null>(null);
  const [mapping, setMapping] = useState<Partial<Record<Field, string>>>({});
  const [defaultTicket, setDefaultTicket] = useState('');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [progress, setProgress] = useState<{ phase: string; done: number; total: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);

  useStationEvent(['progress'], (e) => {
    if (e.type === 'progress' && (e.operation === 'registrants.importCsv' || e.operation === 'conference.import'))
      setProgress({ phase: e.phase, done: e.done, total: e.total });
  });

  async function look(text: string, m: Partial<Record<Field, string>>, ticket: string) {
    const head = text.length > HEAD_BYTES ? text.slice(0, text.lastIndexOf('\n', HEAD_BYTES) + 1 || HEAD_BYTES) : text;
    const r = await call('registrants.previewCsv', {
      csv: head,
      mapping: m,
      defaults: ticket ? { ticketTypeId: ticket } : {},
      rows: 8,
    });
    if (!r.ok) return setError(r.error);
    setError(null);
    setPreview(r.value);
    setMapping(r.value.mapping);
  }

  async function choose(f: File) {
    setReport(null);
    setPreview(null);
    setError(null);
    setProgress(null);
    const text = await f.text();
    const kind = /\.json$/i.test(f.name) ? 'json' : 'csv';
    setFile({ name: f.name, text, kind });
    if (kind === 'csv') await look(text, {}, defaultTicket);
  }

  async function run() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    setProgress({ phase: 'validating', done: 0, total: 0 });
    let r;
    if (file.kind === 'json') {
      let data: unknown;
      try {
        data = JSON.parse(file.text);
      } catch (e) {
        setBusy(false);
        setProgress(null);
        return setError({ code: 'invalid_input', message: `${iw.notJson}: ${(e as Error).message}` });
      }
      r = await call('conference.import', { data: data as never });
    } else {
      r = await call('registrants.importCsv', {
        csv: file.text,
        mapping: mapping as Record<Field, string>,
        defaults: defaultTicket ? { ticketTypeId: defaultTicket } : {},
      });
    }
    setBusy(false);
    if (r.ok) setReport(r.value);
    else {
      setProgress(null);
      setError(r.error);
    }
  }

  const blocked = file?.kind === 'csv' && (!preview || preview.missing.length > 0 || preview.problems.length > 0);
  return (
    <section className="imports" aria-labelledby="imports-title">
      <h2 id="imports-title">{iw.title}</h2>
      <p className="lead">{iw.lead}</p>
      <label className="file-pick">
        {iw.file}
        <input
          type="file"
          accept=".json,.csv,text/csv,application/json"
          disabled={busy}
          onChange={(e) => e.target.files?.[0] && void choose(e.target.files[0])}
        />
      </label>
      {file && <p>{iw.chosen(file.name, file.kind === 'json' ? iw.kindJson : iw.kindCsv)}</p>}
      {file?.kind === 'csv' && preview && (
        <div className="mapping">
          <h3>{iw.mappingTitle}</h3>
          {preview.missing.length > 0 && (
            <Notice kind="warn" title={iw.missing}>
              <p>{preview.missing.map((f) => iw.fields[f]).join(', ')}</p>
            </Notice>
          )}
          {preview.problems.map((p) => (
            <Notice key={p} kind="error">
              <p>{p}</p>
            </Notice>
          ))}
          <div className="mapping-grid">
            {preview.fields.map((f) => (
              <label key={f.field}>
                {iw.fields[f.field]} <span className="need">{iw.need[f.need]}</span>
                <select
                  value={mapping[f.field] ?? ''}
                  disabled={busy}
                  onChange={(e) => {
                    const next = { ...mapping };
                    if (e.target.value) next[f.field] = e.target.value;
                    else delete next[f.field];
                    setMapping(next);
                    void look(file.text, next, defaultTicket);
                  }}
                >
                  <option value="">{iw.unmapped}</option>
                  {preview.headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <label>
              {iw.defaultTicket}
              <select
                value={defaultTicket}
                disabled={busy}
                onChange={(e) => {
                  setDefaultTicket(e.target.value);
                  void look(file.text, mapping, e.target.value);
                }}
              >
                <option value="">—</option>
                {(ticketTypes.data ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="table-scroll">
            <table className="preview-table">
              <caption>{iw.previewCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{iw.line}</th>
                  {preview.headers.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                  <th scope="col">{iw.check}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => {
                  const c = preview.checks.find((x) => x.line === row.line);
                  return (
                    <tr key={row.line} className={c?.outcome === 'reject' ? 'row-reject' : ''}>
                      <td>{row.line}</td>
                      {preview.headers.map((_, i) => (
                        <td key={i}>{row.cells[i] ?? ''}</td>
                      ))}
                      <td>
                        {c
                          ? c.outcome === 'reject'
                            ? `${iw.outcome.reject}: ${c.reason}`
                            : iw.outcome[c.outcome]
                          : '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {file && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy || blocked} onClick={() => void run()}>
            {iw.run}
          </button>
        </div>
      )}
      {progress && busy && (
        <div className="drain">
          <label htmlFor="import-progress">
            {progress.total === 0
              ? iw.reading
              : progress.phase === 'indexing'
                ? iw.indexing(progress.done, progress.total)
                : progress.phase === 'done'
                  ? iw.saving
                  : iw.progress(progress.done, progress.total)}
          </label>
          <progress id="import-progress" max={progress.total || 1} value={progress.total ? progress.done : undefined} />
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {report && (
        <div ref={(el) => el?.scrollIntoView({ block: 'nearest' })}>
          <Notice kind={report.rejectedCount > 0 ? 'warn' : 'ok'} title={iw.reportTitle}>
            <p>{iw.report(report.registrants.inserted, report.registrants.updated, report.rejectedCount)}</p>
            {report.rejected.length > 0 && (
              <ul className="reasons">
                {report.rejected.map((r) => (
                  <li key={r.line}>{iw.rejectedRow(r.line, r.reason)}</li>
                ))}
              </ul>
            )}
          </Notice>
        </div>
      )}
    </section>
  );
}
