/** The print queue: uncertain jobs first, each asking staff what the printer did; nothing is retried by itself. */
import { useState } from 'react';
import type { PrintJobView } from '../../../core/badge/views';
import type { AppError } from '../../../core/result';
import { ErrorNotice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { ReprintReason } from './FindPanel';
import { signedOutBy } from './common';

export function PrintQueue({ onSignedOut }: { onSignedOut(): void }) {
  const w = useWords();
  const jobs = useStation('print.jobs', { limit: 50 }, { refreshOn: ['print.job'] });
  if (signedOutBy(jobs.error)) onSignedOut();
  const list = jobs.data ?? [];
  const uncertain = list.filter((j) => j.status === 'uncertain');
  const rest = list.filter((j) => j.status !== 'uncertain');
  return (
    <section className="queue" aria-labelledby="queue-title">
      <h2 id="queue-title">{w.desk.queue.title}</h2>
      {list.length === 0 && <p>{w.desk.queue.empty}</p>}
      {uncertain.length > 0 && (
        <>
          <p className="warn-text">{w.desk.queue.uncertainFirst}</p>
          <ul className="jobs">
            {uncertain.map((j) => (
              <Job key={j.id} job={j} onChanged={jobs.reload} />
            ))}
          </ul>
        </>
      )}
      <ul className="jobs">
        {rest.map((j) => (
          <Job key={j.id} job={j} onChanged={jobs.reload} />
        ))}
      </ul>
    </section>
  );
}

function Job({ job, onChanged }: { job: PrintJobView; onChanged(): void }) {
  const w = useWords();
  const call = useCall();
  const who = useStation('registrant.get', job.registrantId ? { id: job.registrantId } : null);
  const [reprinting, setReprinting] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = who.data
    ? `${who.data.firstName} ${who.data.lastName}`
    : job.kind === 'test'
      ? 'Test page'
      : (job.registrantId ?? '');
  async function run(p: Promise<{ ok: boolean; error?: AppError }>) {
    setBusy(true);
    const r = await p;
    setBusy(false);
    if (!r.ok) return setError(r.error!);
    setReprinting(false);
    onChanged();
  }
  return (
    <li className={`job job-${job.status}`}>
      <div>
        <p className="job-name">{w.desk.queue.job(name, w.common.time(job.createdAt))}</p>
        <p className="job-state">
          {w.desk.jobOutcome[job.status]}
          {job.words && ` — ${job.words}`}
          {job.reason && ` (${job.reason})`}
        </p>
      </div>
      {job.status === 'uncertain' && !reprinting && (
        <div className="actions" role="group" aria-label={`${w.desk.queue.didItPrint} ${name}`}>
          <span>{w.desk.queue.didItPrint}</span>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void run(call('print.confirm', { jobId: job.id, printed: true }))}
          >
            {w.desk.queue.yesPrinted}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => setReprinting(true)}>
            {w.desk.queue.noReprint}
          </button>
        </div>
      )}
      {reprinting && (
        <ReprintReason
          busy={busy}
          onReprint={(reason) => void run(call('print.reprint', { jobId: job.id, reason }))}
          onCancel={() => setReprinting(false)}
        />
      )}
      {error && (signedOutBy(error) ? null : <ErrorNotice error={error} />)}
    </li>
  );
}
