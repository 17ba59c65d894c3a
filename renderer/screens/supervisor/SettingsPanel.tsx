/**
 * Settings and setup (supervisor only): the station's id and mode, its Service Bus connection shown masked with a
 * test of another connection string (send and listen, step by step, the secret never echoed), its printers, the
 * sale policy with where each value comes from, what it means in plain words and the simulator's finding, staff
 * with their PINs, the audit log's check and a support bundle. `settings.save` (behind the supervisor's PIN) saves
 * a new id, mode, connection (tested first), printers and policy; the station says what needs a restart.
 */
import { useEffect, useRef, useState } from 'react';
import type {
  AuditVerification,
  ConnectionCheck,
  PolicyParamName,
  SettingsSaved,
  StaffSessionView,
  StationSetup,
} from '../../../core/api';
import { stationModes, type StationMode } from '../../../core/access';
import type { AppError } from '../../../core/result';
import { findingsRun, policyFindings } from './policy-findings';
import { ErrorNotice, Notice } from '../../components/Notice';
import { fieldErrors, useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';
import { PinInput } from '../../components/PinInput';

export function SettingsPanel({ me }: { me: StaffSessionView }) {
  const w = useWords();
  const sw = w.supervisor.settings;
  const setup = useStation('settings.get', {});
  const s = setup.data;
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{sw.title}</h2>
      {setup.error && <ErrorNotice error={setup.error} />}
      {s && (
        <>
          <dl className="facts">
            <dt>{sw.station}</dt>
            <dd>{s.stationId}</dd>
            <dt>{sw.mode}</dt>
            <dd>{w.header.modes[s.mode]}</dd>
            <dt>{sw.connection}</dt>
            <dd>{s.connection.configured ? <code>{s.connection.masked}</code> : sw.noConnection}</dd>
            <dt>{sw.printers}</dt>
            <dd>{s.printers.length ? s.printers.join(', ') : sw.noPrinters}</dd>
            <dt>{sw.database}</dt>
            <dd>{sw.integrity[s.integrity.state]}</dd>
          </dl>
          {s.pendingRestart.length > 0 && (
            <Notice kind="warn">
              {w.consoleSetup.pendingRestart(s.pendingRestart.map((f) => w.consoleSetup.fields[f]).join(', '))}
            </Notice>
          )}
          <ConnectionTest />
          <h3>{sw.policyTitle}</h3>
          <table className="policy-table">
            <caption className="visually-hidden">{sw.policyTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{sw.setting}</th>
                <th scope="col">{sw.value}</th>
                <th scope="col">{sw.from}</th>
                <th scope="col">{sw.meaning}</th>
              </tr>
            </thead>
            <tbody>
              {s.policy.map((p) => (
                <tr key={p.name}>
                  <th scope="row">{sw.policy[p.name]?.name ?? p.name}</th>
                  <td>{p.value}</td>
                  <td>{sw.source[p.source]}</td>
                  <td>
                    {sw.policy[p.name]?.words(p.value) ?? ''}
                    <Finding name={p.name} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{w.consoleSetup.findingRun(findingsRun.days)}</p>
          <SaveSetup setup={s} me={me} onSaved={setup.reload} />
          <StaffPins me={me} />
          <AddStaff me={me} />
          <AuditCheck />
          <SupportBundle />
        </>
      )}
    </section>
  );
}

function ConnectionTest() {
  const sw = useWords().supervisor.settings;
  const call = useCall();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  async function test() {
    setBusy(true);
    setCheck(null);
    setError(null);
    const r = await call('settings.testConnection', { connectionString: text });
    setBusy(false);
    if (r.ok) setCheck(r.value);
    else setError(r.error);
  }
  return (
    <form className="connection-test" onSubmit={(e) => (e.preventDefault(), void test())}>
      <h3>{sw.testTitle}</h3>
      <label>
        {sw.connectionString}
        <input type="password" autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? sw.testing : sw.test}
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {check && (
        <Notice kind={check.ok ? 'ok' : 'error'} title={check.ok ? sw.testOk : sw.testFailed}>
          <ul className="reasons">
            {check.steps.map((st) => (
              <li key={st.step}>
                {st.ok ? '✓' : '✕'} {st.words}
              </li>
            ))}
          </ul>
          <p>{sw.notSaved}</p>
        </Notice>
      )}
    </form>
  );
}

function StaffPins({ me }: { me: StaffSessionView }) {
  const sw = useWords().supervisor.settings;
  const call = useCall();
  const staff = useStation('staff.list', {});
  const [who, setWho] = useState('');
  const [pin, setPin] = useState('');
  const [myPin, setMyPin] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  async function save() {
    setDone(null);
    setError(null);
    const r = await call('staff.setPin', { id: who, pin, by: { supervisorId: me.staffId, pin: myPin } });
    if (!r.ok) return setError(r.error);
    setDone(sw.pinSet(r.value.name));
    setPin('');
    setMyPin('');
    staff.reload();
  }
  return (
    <form className="staff-pins" onSubmit={(e) => (e.preventDefault(), void save())}>
      <h3>{sw.staffTitle}</h3>
      <ul>
        {(staff.data ?? []).map((s) => (
          <li key={s.id}>
            {s.name} · {sw.roles[s.role]}
            {s.lockedUntil && <span className="warn-text"> · {sw.locked}</span>}
          </li>
        ))}
      </ul>
      <div className="resolve-auth">
        <label>
          {sw.member}
          <select value={who} onChange={(e) => setWho(e.target.value)}>
            <option value="">—</option>
            {(staff.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {sw.newPin}
          <PinInput fresh value={pin} onChange={setPin} />
        </label>
        <label>
          {sw.yourPin}
          <PinInput value={myPin} onChange={setMyPin} />
        </label>
        <button type="submit" disabled={!who || !pin || !myPin}>
          {sw.setPin}
        </button>
      </div>
      {done && <Notice kind="ok">{done}</Notice>}
      {error && <ErrorNotice error={error} />}
    </form>
  );
}

function AuditCheck() {
  const sw = useWords().supervisor.settings;
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [v, setV] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  async function run() {
    setBusy(true);
    const r = await call('audit.verify', {});
    setBusy(false);
    if (r.ok) setV(r.value);
    else setError(r.error);
  }
  return (
    <div className="audit">
      <h3>{sw.auditTitle}</h3>
      <button type="button" disabled={busy} onClick={() => void run()}>
        {sw.audit}
      </button>
      {v && (
        <Notice kind={v.ok ? 'ok' : 'error'}>
          {v.ok ? sw.auditOk(v.rows) : (v.problem ?? v.integrity.message ?? sw.auditBad)}
        </Notice>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

/** The simulator's numbers for one setting, beside what it means (tools/simulator/findings.ts). */
function Finding({ name }: { name: PolicyParamName }) {
  const c = useWords().consoleSetup;
  const f = policyFindings[name];
  return (
    <span className="finding">
      <strong>{c.finding}: </strong>
      {f
        ? c.findingWords(
            String(f.value),
            f.oversold,
            f.refusedWhileFree,
            String(f.other.value),
            f.other.oversold,
            f.other.refusedWhileFree,
          )
        : c.notSimulated}
    </span>
  );
}

/** The setup form: every field starts at what the station runs with; the station saves only what changed. */
function SaveSetup({ setup, me, onSaved }: { setup: StationSetup; me: StaffSessionView; onSaved(): void }) {
  const w = useWords();
  const c = w.consoleSetup;
  const call = useCall();
  const [stationId, setStationId] = useState(setup.stationId);
  const [mode, setMode] = useState<StationMode>(setup.mode);
  const [connection, setConnection] = useState('');
  const [removeConnection, setRemoveConnection] = useState(false);
  const [printers, setPrinters] = useState(setup.printers.join('\n'));
  const [policy, setPolicy] = useState<Partial<Record<PolicyParamName, string>>>(
    Object.fromEntries(setup.policy.map((p) => [p.name, p.station === null ? '' : String(p.station)])),
  );
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<SettingsSaved | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  async function save() {
    setBusy(true);
    setDone(null);
    setError(null);
    const stationPolicy: Partial<Record<PolicyParamName, number>> = {};
    for (const [k, v] of Object.entries(policy))
      if (v !== undefined && v.trim() !== '') stationPolicy[k as PolicyParamName] = Number(v.replace(',', '.'));
    const r = await call('settings.save', {
      supervisor: { supervisorId: me.staffId, pin },
      stationId: stationId.trim(),
      mode,
      printers: printers
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      policy: stationPolicy,
      ...(removeConnection ? { connectionString: null } : connection.trim() ? { connectionString: connection } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDone(r.value);
    setPin('');
    setConnection('');
    onSaved();
  }
  // The outcome appears under the button, below a long form: bring it into view where the eyes are.
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done || error) outcome.current?.scrollIntoView({ block: 'nearest' });
  }, [done, error]);
  const names = (fs: string[]) => fs.map((f) => c.fields[f]).join(', ');
  const live = done ? done.saved.filter((f) => !done.restartNeeded.includes(f)) : [];
  return (
    <form className="save-setup" onSubmit={(e) => (e.preventDefault(), void save())}>
      <h3>{c.saveTitle}</h3>
      <p className="hint">{c.saveLead}</p>
      <div className="setup-grid">
        <label>
          {c.stationId}
          <input type="text" autoComplete="off" value={stationId} onChange={(e) => setStationId(e.target.value)} />
        </label>
        <label>
          {c.mode}
          <select value={mode} onChange={(e) => setMode(e.target.value as StationMode)}>
            {stationModes.map((m) => (
              <option key={m} value={m}>
                {w.header.modes[m]}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {c.newConnection}
          <input
            type="password"
            autoComplete="off"
            value={connection}
            disabled={removeConnection}
            onChange={(e) => setConnection(e.target.value)}
          />
        </label>
        {setup.connection.configured && (
          <label className="check wide">
            <input type="checkbox" checked={removeConnection} onChange={(e) => setRemoveConnection(e.target.checked)} />
            {c.removeConnection}
          </label>
        )}
        <label className="wide">
          {c.printers}
          <textarea rows={3} value={printers} onChange={(e) => setPrinters(e.target.value)} />
        </label>
      </div>
      <fieldset className="setup-policy">
        <legend>{w.supervisor.settings.policyTitle}</legend>
        <p className="hint">{c.policyHint}</p>
        {setup.policy.map((p) => (
          <label key={p.name}>
            {w.supervisor.settings.policy[p.name]?.name ?? p.name}
            <input
              type="text"
              inputMode="decimal"
              placeholder={String(p.conference ?? p.defaultValue)}
              value={policy[p.name] ?? ''}
              onChange={(e) => setPolicy((x) => ({ ...x, [p.name]: e.target.value }))}
            />
          </label>
        ))}
      </fieldset>
      <div className="resolve-auth">
        <label>
          {c.yourPin}
          <PinInput value={pin} onChange={setPin} />
        </label>
        <button type="submit" className="primary" disabled={busy || !pin}>
          {busy ? c.saving : c.save}
        </button>
      </div>
      <div ref={outcome}>
        {done && done.saved.length === 0 && <Notice kind="info">{c.nothingChanged}</Notice>}
        {done && live.length > 0 && <Notice kind="ok">{c.savedNow(names(live))}</Notice>}
        {done && done.restartNeeded.length > 0 && (
          <Notice kind="warn">{c.savedRestart(names(done.restartNeeded))}</Notice>
        )}
        {error &&
          (fieldErrors(error).connectionString ? (
            <Notice kind="error">{c.connectionFailed(fieldErrors(error).connectionString!)}</Notice>
          ) : (
            <ErrorNotice error={error} />
          ))}
      </div>
    </form>
  );
}

function AddStaff({ me }: { me: StaffSessionView }) {
  const w = useWords();
  const c = w.consoleSetup;
  const call = useCall();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<'desk' | 'supervisor'>('desk');
  const [pin, setPin] = useState('');
  const [myPin, setMyPin] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  async function add() {
    setDone(null);
    setError(null);
    const r = await call('staff.add', { id, name, role, pin, by: { supervisorId: me.staffId, pin: myPin } });
    if (!r.ok) return setError(r.error);
    setDone(c.added(r.value.name));
    setId('');
    setName('');
    setPin('');
    setMyPin('');
  }
  return (
    <form className="add-staff" onSubmit={(e) => (e.preventDefault(), void add())}>
      <h3>{c.addStaffTitle}</h3>
      <div className="resolve-auth">
        <label>
          {c.staffId}
          <input type="text" autoComplete="off" value={id} onChange={(e) => setId(e.target.value)} />
        </label>
        <label>
          {c.staffName}
          <input type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {c.role}
          <select value={role} onChange={(e) => setRole(e.target.value as 'desk' | 'supervisor')}>
            <option value="desk">{w.supervisor.settings.roles.desk}</option>
            <option value="supervisor">{w.supervisor.settings.roles.supervisor}</option>
          </select>
        </label>
        <label>
          {c.pin}
          <PinInput fresh value={pin} onChange={setPin} />
        </label>
        <label>
          {c.yourPin}
          <PinInput value={myPin} onChange={setMyPin} />
        </label>
        <button type="submit" disabled={!id || !name || !pin || !myPin}>
          {c.add}
        </button>
      </div>
      {done && <Notice kind="ok">{done}</Notice>}
      {error && <ErrorNotice error={error} />}
    </form>
  );
}

/** The support bundle (`support.bundle`), downloaded: the screen may be a browser on another machine. */
function SupportBundle() {
  const c = useWords().consoleSetup;
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  async function run() {
    setBusy(true);
    setDone(null);
    setError(null);
    const r = await call('support.bundle', { download: true });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const bytes = Uint8Array.from(atob(r.value.zipBase64 ?? ''), (ch) => ch.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.file.split(/[\\/]/).pop() ?? 'lanyard-support.zip';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setDone(c.bundled(Math.max(1, Math.round(r.value.bytes / 1024)), r.value.file));
  }
  return (
    <div className="support">
      <h3>{c.supportTitle}</h3>
      <button type="button" disabled={busy} onClick={() => void run()}>
        {busy ? c.bundling : c.bundle}
      </button>
      {done && <Notice kind="ok">{done}</Notice>}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
