/**
 * Where the Electron binary is, if it is installed. Build machines install with ELECTRON_SKIP_BINARY_DOWNLOAD=1:
 * the package is there (types, this lookup) but not the program.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function electronBinary(): { path: string } | { missing: string } {
  let path: unknown;
  try {
    // The electron package's main module is the path of its binary (and throws when it was never downloaded).
    path = createRequire(import.meta.url)('electron');
  } catch (e) {
    return {
      missing: `the Electron binary is not installed (${e instanceof Error ? e.message.split('\n')[0] : String(e)}; installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 skip it)`,
    };
  }
  if (typeof path !== 'string' || !existsSync(path))
    return { missing: `the Electron binary is not at ${String(path)}` };
  return { path };
}
