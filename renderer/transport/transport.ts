/**
 * How a screen reaches its station: one interface, two implementations — Electron's preload (`window.lanyard`)
 * and the browser mode's WebSocket. Everything above it (hooks, screens) is the same in both.
 */
import type { ScreenBridge } from '../../core/api';
import type { StationEvent } from '../../core/events';
import type { Result } from '../../core/result';

/** The screen's own line to its station (not the station's link to HQ). */
export type LinkState = 'connecting' | 'open' | 'lost';

export interface Transport {
  call(channel: string, request: unknown): Promise<Result<unknown>>;
  /** Every station event this screen hears; returns a function that stops listening. */
  listen(listener: (e: StationEvent) => void): () => void;
  linkState(): LinkState;
  onLinkState(listener: (s: LinkState) => void): () => void;
}

declare global {
  interface Window {
    lanyard?: ScreenBridge;
  }
}
