/**
 * The desktop app's configuration: `--config FILE` (or LANYARD_CONFIG), else the embedded default in the app's user
 * data folder. The Service Bus secret is kept encrypted by the operating system (safeStorage): `--seal-config FILE`
 * replaces a plain connection string in a file by its encrypted form, which only this user on this machine can read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SafeStorage } from 'electron';
import { embeddedConfigFile, type ConfigResult } from '../runtime/config';
import { loadStationConfig } from '../runtime/settings-store';

export function argValue(argv: string[], name: string): string | null {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1] ?? null;
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : null;
}

export function loadDesktopConfig(
  argv: string[],
  env: NodeJS.ProcessEnv,
  userData: string,
  safeStorage: SafeStorage,
): ConfigResult {
  const file = argValue(argv, '--config') ?? env.LANYARD_CONFIG ?? null;
  const decrypt = safeStorage.isEncryptionAvailable()
    ? (b64: string) => safeStorage.decryptString(Buffer.from(b64, 'base64'))
    : undefined;
  // The settings saved from the console (in the data folder, secret sealed) are laid over the file or the default.
  if (!file)
    return loadStationConfig(embeddedConfigFile(), {
      baseDir: userData,
      defaultDataDir: userData,
      ...(decrypt ? { decrypt } : {}),
    });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return {
      ok: false,
      errors: [
        `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`}`,
      ],
    };
  }
  return loadStationConfig(json, {
    baseDir: dirname(resolve(file)),
    defaultDataDir: userData,
    ...(decrypt ? { decrypt } : {}),
  });
}

/**
 * How the console's saved connection string is kept (`settings.save`, through the station host): sealed by the
 * operating system for this user, or refused where the system offers no encryption — the desktop app never writes
 * the secret in clear.
 */
export function sealSecret(safeStorage: SafeStorage): (plain: string) => { encrypted: string } {
  return (plain) => {
    if (!safeStorage.isEncryptionAvailable())
      throw new Error('this system offers no encryption for secrets (safeStorage); the connection was not saved');
    return { encrypted: safeStorage.encryptString(plain).toString('base64') };
  };
}

/** Encrypts the plain connection string of a configuration file in place. */
export function sealConfig(file: string, safeStorage: SafeStorage): string {
  if (!safeStorage.isEncryptionAvailable())
    return 'this system offers no encryption for secrets (safeStorage); the file was not changed';
  const json = JSON.parse(readFileSync(file, 'utf8')) as { sync?: { connectionString?: unknown } };
  const cs = json.sync?.connectionString;
  if (typeof cs !== 'string') return 'no plain connection string to seal';
  json.sync!.connectionString = { encrypted: safeStorage.encryptString(cs).toString('base64') };
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  return 'sealed: the connection string is now encrypted for this user on this machine';
}
