/**
 * The message catalogue (STYLE 14): one per language, the same strings everywhere. The screens find their words
 * through `useWords()`; tests find elements by the same accessible names.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AppError } from '../../core/result';
import { en, type Words } from './en';
import { pt } from './pt';

export const catalogues = { en, pt } satisfies Record<string, Words>;
export type Lang = keyof typeof catalogues;
export const langs = Object.keys(catalogues) as Lang[];

const Cx = createContext<{ lang: Lang; words: Words; setLang(l: Lang): void }>({
  lang: 'en',
  words: en,
  setLang: () => {},
});

export function I18nProvider({ children, initial = 'en' }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLang] = useState<Lang>(initial);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <Cx.Provider value={{ lang, words: catalogues[lang], setLang }}>{children}</Cx.Provider>;
}

export const useI18n = () => useContext(Cx);
export const useWords = (): Words => useContext(Cx).words;

/** An error value in the reader's language: the typed details where there are some, else the code's words. */
export function describeError(w: Words, e: AppError): string[] {
  switch (e.code) {
    case 'refused':
      return e.details && 'failed' in e.details ? e.details.failed.map(w.failed) : [e.message];
    case 'unauthorized':
      return [e.details && 'attemptsLeft' in e.details ? w.wrongPin(e.details.attemptsLeft) : w.errors.unauthorized];
    case 'locked_out':
      return [e.details ? w.lockedUntil(w.common.time(e.details.until)) : w.errors.locked_out];
    case 'invalid_input':
      // Field problems are shown beside their fields; the station's words say which.
      return [w.errors.invalid_input];
    default:
      return [w.errors[e.code]];
  }
}

/** The station's problems with one field of a form (`invalid_input` details), by field name. */
export function fieldErrors(e: AppError | null): Record<string, string> {
  if (!e || e.code !== 'invalid_input' || !e.details || !('issues' in e.details)) return {};
  return Object.fromEntries(e.details.issues.map((i) => [i.path.split('.')[0] ?? '', i.message]));
}
