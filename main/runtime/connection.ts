/**
 * One screen's line to the station: an Electron window or a browser connection. It holds that screen's staff
 * session — set by a successful `staff.signIn`, cleared by `staff.signOut` or after `idleMs` without a call — and
 * makes every call as that screen's caller (its transport, the station's mode, its session). The page never says
 * who it is; it can only sign in.
 */
import type { Caller, StaffSession, StationMode } from '../../core/access';
import type { StaffSessionView } from '../../core/api';
import type { Result } from '../../core/result';
import type { StationEndpoint } from '../station/create-station';

export interface Connection {
  call(channel: unknown, request: unknown): Promise<Result<unknown>>;
  session(): StaffSession | null;
  /** Ends the session (the window closed, the socket dropped). */
  close(): void;
}

export interface ConnectionOptions {
  transport: 'ipc' | 'ws';
  mode: StationMode;
  /** A session ends after this long without a call. */
  idleMs: number;
  now?: () => number;
}

export function openConnection(endpoint: Pick<StationEndpoint, 'callUnknown'>, o: ConnectionOptions): Connection {
  const now = o.now ?? Date.now;
  let session: StaffSession | null = null;
  let lastUse = 0;
  const current = (): StaffSession | null => {
    if (session && now() - lastUse > o.idleMs) session = null;
    return session;
  };
  return {
    async call(channel, request) {
      const caller: Caller = { transport: o.transport, mode: o.mode, session: current() };
      const r = await endpoint.callUnknown(caller, channel, request);
      if (channel === 'staff.signIn' && r.ok) {
        const v = r.value as StaffSessionView;
        session = { staffId: v.staffId, role: v.role };
        lastUse = now();
      } else if (channel === 'staff.signOut' && r.ok) {
        session = null;
      } else if (session) {
        lastUse = now(); // any use keeps the session alive, whatever its outcome
      }
      return r;
    },
    session: current,
    close() {
      session = null;
    },
  };
}
