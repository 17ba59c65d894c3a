// pino-roll ships no types: the part Lanyard uses (main/runtime/log.ts, hq/log.ts).
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';
  interface RollOptions {
    file: string;
    extension?: string;
    size?: string | number;
    frequency?: string | number;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
  }
  interface RollStream extends DestinationStream {
    end(): void;
    once(event: 'close' | 'error', listener: () => void): this;
    /** A SonicBoom: it says 'error' when the file cannot be opened or written (and, unheard, that would throw). */
    on(event: 'error', listener: (e: Error) => void): this;
  }
  export default function roll(options: RollOptions): Promise<RollStream>;
}
