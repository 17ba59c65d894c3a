/** The app: asks the station what it is (mode, printers), then shows that mode's screen. */
import { useEffect, useState } from 'react';
import type { StationSettings } from '../core/api';
import { I18nProvider } from './i18n/i18n';
import { screens } from './screens';
import { StationProvider } from './station';
import type { Transport } from './transport/transport';

export function App({ transport }: { transport: Transport }) {
  const [settings, setSettings] = useState<StationSettings | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    const ask = async () => {
      const r = await transport.call('station.settings', {});
      if (stop) return;
      if (r.ok) setSettings(r.value as StationSettings);
      else {
        setProblem(r.error.message);
        setTimeout(() => void ask(), 1000);
      }
    };
    void ask();
    return () => void (stop = true);
  }, [transport]);
  if (!settings) {
    return (
      <main className="starting" id="main">
        <h1>Lanyard</h1>
        <p role="status">{problem ?? 'Starting…'}</p>
      </main>
    );
  }
  const Screen = screens[settings.mode];
  return (
    <I18nProvider>
      <StationProvider transport={transport} settings={settings}>
        <div className={`app mode-${settings.mode}`}>
          <Screen />
        </div>
      </StationProvider>
    </I18nProvider>
  );
}
