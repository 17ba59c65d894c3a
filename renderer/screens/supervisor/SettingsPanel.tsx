/**
 * Settings and setup (supervisor only): the station's id and mode, its Service Bus connection shown masked with a
 * test of another connection string (send and listen, step by step, the secret never echoed), its printers, the
 * sale policy with where each value comes from and what it means in plain words, staff with a new-PIN form, and
 * the audit log's check. Saving a new connection, printers or policy is done in the station's configuration file
 * for now (see the report of issue 14); nothing here writes them.
 */
import { useState } from 'react';
import type { AuditVerification, ConnectionCheck, StaffSessionView } from '../../../core/api';
import type { AppError } from '../../../core/result';
import { ErrorNotice, Notice } from '../../components/Notice';
import { useWords } from '../../i18n/i18n';
import { useCall, useStation } from '../../station';

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
                  <td>{sw.policy[p.name]?.words(p.value) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <StaffPins me={me} />
          <AuditCheck />
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
          <input
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        <label>
          {sw.yourPin}
          <input
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={myPin}
            onChange={(e) => setMyPin(e.target.value)}
          />
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
