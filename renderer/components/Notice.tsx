import type { ReactNode } from 'react';
import type { AppError } from '../../core/result';
import { describeError, useWords } from '../i18n/i18n';

/** A message that screen readers announce: `alert` for problems, `status` for news. */
export function Notice({
  kind = 'info',
  title,
  children,
}: {
  kind?: 'info' | 'ok' | 'warn' | 'error';
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' || kind === 'warn' ? 'alert' : 'status'}>
      {title && <p className="notice-title">{title}</p>}
      {children}
    </div>
  );
}

/** Every reason of an error, in words (a refusal lists each failed condition). */
export function ErrorNotice({ error, title }: { error: AppError; title?: string }) {
  const w = useWords();
  const lines = describeError(w, error);
  return (
    <Notice kind="error" title={title ?? (lines.length > 1 ? w.errors[error.code] : undefined)}>
      {lines.length === 1 && !title ? <p>{lines[0]}</p> : <ReasonList reasons={lines} />}
    </Notice>
  );
}

export function ReasonList({ reasons }: { reasons: string[] }) {
  return (
    <ul className="reasons">
      {reasons.map((r) => (
        <li key={r}>{r}</li>
      ))}
    </ul>
  );
}
