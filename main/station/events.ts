/**
 * The station's event stream (core/events.ts), owned by the station: handlers `emit`, everyone else only
 * subscribes to `events$`. Emitting after close is a no-op, so late callbacks (a print job finishing during
 * shutdown) never throw.
 */
import { Subject, type Observable } from 'rxjs';
import type { StationEvent } from '../../core/events';

export interface StationEvents {
  readonly events$: Observable<StationEvent>;
  emit(event: StationEvent): void;
  /** Subscribers that must clean up when the station closes (the print queue). */
  onClose(f: () => void): void;
  close(): void;
}

export function createStationEvents(): StationEvents {
  const subject = new Subject<StationEvent>();
  const closers: (() => void)[] = [];
  let closed = false;
  return {
    events$: subject.asObservable(),
    emit(event) {
      if (!closed) subject.next(event);
    },
    onClose(f) {
      closers.push(f);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const f of closers.splice(0)) f();
      subject.complete();
    },
  };
}
