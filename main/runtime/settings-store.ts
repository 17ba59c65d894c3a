/**
 * The settings a supervisor saves from the console (`settings.save`), kept in `<dataDir>/settings.json` and laid over
 * the station's configuration file at every start. One schema — the configuration's own fields — so a saved setting
 * means exactly what the same key in the configuration file means, and a damaged file is refused with its field named.
 *
 * The Service Bus connection string is kept sealed where the shell can seal it (the desktop app: Electron
 * safeStorage, `{ "encrypted": "…" }`); the browser/headless station keeps it in this file, readable by its user
 * only (0600), and never writes it to a log or the support bundle (describeConfig, core/logging.ts).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StationMode } from '../../core/access';
import { SalePolicyParams } from '../../core/conference';
import type { SettingsChange, SettingsStore } from '../station/context';
import { parseRuntimeConfig, RuntimeConfigFile, type ConfigContext, type ConfigResult } from './config';

export const SETTINGS_FILE = 'settings.json';
export const settingsFileIn = (dataDir: string) => join(dataDir, SETTINGS_FILE);

/** What the console saved: the configuration's own fields; `sync: null` means "no connection" (work alone). */
export const SavedSettings = z
  .object({
    stationId: RuntimeConfigFile.shape.stationId.optional(),
    mode: StationMode.optional(),
    sync: RuntimeConfigFile.shape.sync.nullable(),
    printers: RuntimeConfigFile.shape.printers,
    policy: SalePolicyParams.partial().strict().optional(),
  })
  .strict();
export type SavedSettings = z.infer<typeof SavedSettings>;

/** Turns a plain connection string into what the file keeps (sealed by the desktop app; as it is elsewhere). */
export type SealSecret = (plain: string) => Promise<string | { encrypted: string }>;

export function readSavedSettings(
  file: string,
): { ok: true; value: SavedSettings | null } | { ok: false; error: string } {
  if (!existsSync(file)) return { ok: true, value: null };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, error: `${file}: not valid JSON (${(e as Error).message})` };
  }
  const parsed = SavedSettings.safeParse(json);
  if (!parsed.success) {
    // The schema's messages never echo a value, so a connection string cannot leak through here.
    const i = parsed.error.issues[0]!;
    return { ok: false, error: `${file}: ${i.path.join('.') || '(the file)'}: ${i.message}` };
  }
  return { ok: true, value: parsed.data };
}

/**
 * The configuration file (or the embedded default) with the saved settings laid over it: every field validated by
 * the configuration's own rules, the saved file's problems named. `adoptStationId` says the saved settings chose a
 * new station id (the station takes it at start only if its database has never sent an event).
 */
export function loadStationConfig(json: unknown, cx: ConfigContext): ConfigResult {
  const first = parseRuntimeConfig(json, cx);
  if (!first.ok) return first;
  const saved = readSavedSettings(settingsFileIn(first.config.dataDir));
  if (!saved.ok) return { ok: false, errors: [saved.error] };
  if (saved.value === null) return first;
  const file = json as Record<string, unknown>;
  const s = saved.value;
  const merged: Record<string, unknown> = { ...file };
  if (s.stationId !== undefined) merged.stationId = s.stationId;
  if (s.mode !== undefined) merged.mode = s.mode;
  if (s.printers !== undefined) merged.printers = s.printers;
  if (s.policy !== undefined) merged.policy = s.policy;
  // The file's other sync settings (topics, retries) stay; the saved connection replaces its string, or removes it.
  if (s.sync === null) delete merged.sync;
  else if (s.sync !== undefined) merged.sync = { ...(file.sync as object | undefined), ...s.sync };
  // The data folder stays where the file put it: the saved settings live in it.
  merged.dataDir = first.config.dataDir;
  const r = parseRuntimeConfig(merged, cx);
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => `${SETTINGS_FILE}: ${e}`) };
  return {
    ok: true,
    config: { ...r.config, adoptStationId: s.stationId !== undefined && s.stationId !== first.config.stationId },
  };
}

/** The store the station's `settings.save` writes through: one file, replaced whole (write, then rename). */
export function fileSettingsStore(file: string, seal: SealSecret = (plain) => Promise.resolve(plain)): SettingsStore {
  return {
    async save(change: SettingsChange): Promise<void> {
      const current = readSavedSettings(file);
      if (!current.ok) throw new Error(current.error);
      const next: SavedSettings = { ...(current.value ?? {}) };
      if (change.stationId !== undefined) next.stationId = change.stationId;
      if (change.mode !== undefined) next.mode = change.mode;
      if (change.printers !== undefined) next.printers = change.printers;
      if (change.policy !== undefined) next.policy = change.policy;
      if (change.connectionString === null) next.sync = null;
      else if (change.connectionString !== undefined)
        next.sync = { connectionString: await seal(change.connectionString) };
      const checked = SavedSettings.parse(next);
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(checked, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}
