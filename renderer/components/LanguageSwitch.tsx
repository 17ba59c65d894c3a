import { catalogues, langs, useI18n } from '../i18n/i18n';

/** Each language named in itself, so a visitor finds theirs whatever the screen shows now. */
export function LanguageSwitch() {
  const { lang, setLang, words } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={words.lang.label}>
      {langs.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={l === lang}
          className={l === lang ? 'current' : ''}
          onClick={() => setLang(l)}
        >
          {catalogues[l].lang.name}
        </button>
      ))}
    </div>
  );
}
