/**
 * Who is calling the station, and what they may call (DESIGN §10, §12). The station — not the renderer — decides:
 * each channel of the contract declares the station modes and the staff role it needs, and the API boundary checks
 * the caller before the payload is even parsed.
 */
import { z } from 'zod';
import type { ErrorCode } from './error-codes';

export const stationModes = ['kiosk', 'desk', 'door', 'supervisor'] as const;
export const StationMode = z.enum(stationModes);
export type StationMode = z.infer<typeof StationMode>;

export const staffRoles = ['desk', 'supervisor'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** A member of staff signed in at one window or browser connection (kept by the shell, never sent by the page). */
export interface StaffSession {
  staffId: string;
  role: StaffRole;
}

/**
 * - `ipc`: an Electron window; `ws`: a browser over the loopback WebSocket — both are the screens of one station
 *   mode, with the session their user signed in to.
 * - `cli`: the operator at the machine (`npm run station`), acting as `--staff ID`.
 * - `internal`: the station's own code (the sync receiver, the allotment keeper) and in-process tests.
 */
export type Transport = 'ipc' | 'ws' | 'cli' | 'internal';

export interface Caller {
  transport: Transport;
  mode: StationMode;
  session: StaffSession | null;
}

/** Who may call a channel: `internal` channels are the station's own (and its operator's, on the command line). */
export type Access = 'internal' | { modes: readonly StationMode[]; role: 'anyone' | 'staff' | 'supervisor' };

export const allModes = stationModes;
export const staffModes = ['desk', 'door', 'supervisor'] as const satisfies readonly StationMode[];

export type AccessDenied = {
  code: Extract<ErrorCode, 'forbidden' | 'unauthorized'>;
  need: 'mode' | 'sign_in' | 'supervisor';
  message: string;
};

/** Null when the caller may call a channel with this access; otherwise why not. */
export function accessDenied(caller: Caller, access: Access, channel: string): AccessDenied | null {
  if (caller.transport === 'internal') return null;
  if (access === 'internal') {
    // The operator at the machine could edit the database anyway; windows and browsers never reach these.
    if (caller.transport === 'cli') return null;
    return { code: 'forbidden', need: 'mode', message: `${channel} is not available to the screens of a station.` };
  }
  if (caller.transport !== 'cli' && !access.modes.includes(caller.mode)) {
    return { code: 'forbidden', need: 'mode', message: `A ${caller.mode} station cannot do ${channel}.` };
  }
  if (access.role === 'anyone') return null;
  if (!caller.session)
    return { code: 'unauthorized', need: 'sign_in', message: `Sign in with your staff PIN to do ${channel}.` };
  if (access.role === 'supervisor' && caller.session.role !== 'supervisor') {
    return { code: 'forbidden', need: 'supervisor', message: `Only a supervisor may do ${channel}.` };
  }
  return null;
}

/** Who did it, for the audit log: the signed-in staff member, or the station mode (a kiosk's attendee), or the station. */
export function actorOf(caller: Caller): string {
  if (caller.session) return caller.session.staffId;
  if (caller.transport === 'internal') return 'station';
  if (caller.transport === 'cli') return 'cli';
  return caller.mode;
}

export const internalCaller = (mode: StationMode = 'desk'): Caller => ({ transport: 'internal', mode, session: null });
