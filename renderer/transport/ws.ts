/**
 * The browser mode: the contract over the station's loopback WebSocket. The run's token comes in the page
 * address's fragment (`#token=…`, never sent to a server); it is kept for this tab so a reload keeps working, and
 * taken out of the address bar. A dropped socket reconnects with backoff; calls made while it is down fail at once
 * with a clear error rather than hang.
 */
import { parseStationEvent, type StationEvent } from '../../core/events';
import type { Result } from '../../core/result';
import type { LinkState, Transport } from './transport';

const TOKEN_KEY = 'lanyard.token';

export function takeToken(): string {
  const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]!));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function wsTransport(url: string): Transport {
  let ws: WebSocket | null = null;
  let state: LinkState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Set<(e: StationEvent) => void>();
  const stateListeners = new Set<(s: LinkState) => void>();

  const setState = (s: LinkState) => {
    if (s === state) return;
    state = s;
    for (const f of stateListeners) f(s);
  };
  const lost = (): Result<never> => ({
    ok: false,
    error: { code: 'internal', message: 'This screen lost its connection to the station; try again in a moment.' },
  });

  function open(): void {
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = () => {
      attempt = 0;
      setState('open');
    };
    socket.onmessage = (m) => {
      let data: { id?: unknown; result?: Result<unknown>; event?: unknown };
      try {
        data = JSON.parse(String(m.data)) as typeof data;
      } catch {
        return;
      }
      if (data.event !== undefined) {
        const e = parseStationEvent(data.event);
        if (e) for (const f of listeners) f(e);
        return;
      }
      if (typeof data.id === 'number' && data.result) {
        pending.get(data.id)?.(data.result);
        pending.delete(data.id);
      }
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = null;
      for (const [, f] of pending) f(lost());
      pending.clear();
      setState('lost');
      attempt++;
      setTimeout(open, Math.min(5000, 250 * 2 ** Math.min(attempt, 5)));
    };
  }
  open();

  return {
    call(channel, request) {
      if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve(lost());
      const id = nextId++;
      const socket = ws;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, request }));
      });
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    linkState: () => state,
    onLinkState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}

/** Waits for the socket before the first call (the app's first screen asks at once). */
export function whenOpen(t: Transport, timeoutMs = 10_000): Promise<void> {
  if (t.linkState() === 'open') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => (off(), resolve()), timeoutMs);
    const off = t.onLinkState((s) => {
      if (s === 'open') {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}
