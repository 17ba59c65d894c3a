/** The station host (main/runtime/host.ts) in Electron's utilityProcess, as a HostLink for connectHost. */
import type { UtilityProcess } from 'electron';
import type { FromHost, ToHost } from '../runtime/host-protocol';
import type { HostLink } from '../runtime/remote';

export function utilityHostLink(child: UtilityProcess): HostLink {
  let exitWhy: string | null = null;
  const exitListeners: ((why: string) => void)[] = [];
  child.on('exit', (code) => {
    exitWhy = `exit code ${code}`;
    for (const f of exitListeners) f(exitWhy);
  });
  return {
    send: (m: ToHost) => {
      if (exitWhy === null) child.postMessage(m);
    },
    onMessage: (f) => child.on('message', (m: unknown) => f(m as FromHost)),
    onExit: (f) => (exitWhy !== null ? f(exitWhy) : void exitListeners.push(f)),
    kill: () => void child.kill(),
  };
}
