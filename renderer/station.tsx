/**
 * State at the edge (STYLE 11): a screen reads the station through `useStation(channel, request)` and acts through
 * `useCall()`; it hears events through `useStationEvent`. Components hold no business rule — what a desk may sell
 * comes from `sale.preview`, whether a badge may print from `badge.print`'s answer.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Channel, RequestOf, ResultOf, StationSettings } from '../core/api';
import type { StationEvent, StationEventType } from '../core/events';
import type { AppError, Result } from '../core/result';
import type { LinkState, Transport } from './transport/transport';

interface StationCx {
  transport: Transport;
  settings: StationSettings;
}

const Cx = createContext<StationCx | null>(null);

export function StationProvider({
  transport,
  settings,
  children,
}: {
  transport: Transport;
  settings: StationSettings;
  children: ReactNode;
}) {
  return <Cx.Provider value={{ transport, settings }}>{children}</Cx.Provider>;
}

function useCx(): StationCx {
  const cx = useContext(Cx);
  if (!cx) throw new Error('useStation outside StationProvider');
  return cx;
}

export const useSettings = (): StationSettings => useCx().settings;

export type Call = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<Result<ResultOf<C>>>;

/** An imperative call (a button press). */
export function useCall(): Call {
  const { transport } = useCx();
  return useCallback(((channel: string, request: unknown) => transport.call(channel, request)) as Call, [transport]);
}

export interface Loaded<T> {
  data: T | undefined;
  /** The request (as JSON) that `data` answers: it may lag the newest request while that one is on its way. */
  for: string | null;
  error: AppError | null;
  loading: boolean;
  reload(): void;
}

/**
 * Reads a channel, again whenever the request changes, one of `refreshOn` events arrives, or every `pollMs`.
 * `request === null` reads nothing (not yet chosen). An answer to an older request never overwrites a newer one.
 */
export function useStation<C extends Channel>(
  channel: C,
  request: RequestOf<C> | null,
  opts: { refreshOn?: StationEventType[]; pollMs?: number } = {},
): Loaded<ResultOf<C>> {
  const { transport } = useCx();
  const [state, setState] = useState<{
    data: ResultOf<C> | undefined;
    for: string | null;
    error: AppError | null;
    loading: boolean;
  }>({ data: undefined, for: null, error: null, loading: request !== null });
  const key = request === null ? null : JSON.stringify(request);
  const seq = useRef(0);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  // A burst of events (a feed batch) is one more read, not one per event: while a read of the same request is on its
  // way, further reloads only mark it stale, and one read follows when it answers.
  const inFlight = useRef<{ key: string; stale: boolean } | null>(null);

  useEffect(() => {
    if (key === null) {
      inFlight.current = null;
      setState({ data: undefined, for: null, error: null, loading: false });
      return;
    }
    if (inFlight.current?.key === key) {
      inFlight.current.stale = true;
      return;
    }
    const flight = { key, stale: false };
    inFlight.current = flight;
    const mine = ++seq.current;
    // A refresh of what is already shown is not "loading": returning the same state skips a render of the whole
    // screen per event (the availability board repaints 200 rows per feed update; bench ui.board).
    setState((s) => (s.for === key && s.error === null ? s : { ...s, loading: true }));
    void transport.call(channel, JSON.parse(key)).then((r) => {
      if (inFlight.current === flight) {
        inFlight.current = null;
        if (flight.stale) setTick((n) => n + 1);
      }
      if (mine !== seq.current) return;
      setState(
        r.ok
          ? { data: r.value as ResultOf<C>, for: key, error: null, loading: false }
          : (s) => ({ ...s, error: r.error, loading: false }),
      );
    });
  }, [transport, channel, key, tick]);

  const refreshOn = (opts.refreshOn ?? []).join(',');
  useEffect(() => {
    if (!refreshOn) return;
    const types = new Set(refreshOn.split(','));
    return transport.listen((e) => {
      if (types.has(e.type)) reload();
    });
  }, [transport, refreshOn, reload]);

  useEffect(() => {
    if (!opts.pollMs) return;
    const timer = setInterval(reload, opts.pollMs);
    return () => clearInterval(timer);
  }, [opts.pollMs, reload]);

  return { ...state, reload };
}

/** Hears station events of these types while the component is shown. */
export function useStationEvent(types: StationEventType[], listener: (e: StationEvent) => void): void {
  const { transport } = useCx();
  const f = useRef(listener);
  f.current = listener;
  const key = types.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    return transport.listen((e) => {
      if (wanted.has(e.type)) f.current(e);
    });
  }, [transport, key]);
}

/** The screen's own line to the station (browser mode: the WebSocket). */
export function useLinkState(): LinkState {
  const { transport } = useCx();
  const [s, setS] = useState<LinkState>(transport.linkState());
  useEffect(() => transport.onLinkState(setS), [transport]);
  return s;
}
