// The line protocol shared by the CLI's stdin and its --control port. Kept separate from the CLI so
// the parsing rules are unit-tested without spawning processes.
import type { FaultProxy, FlapMode } from './proxy';

export type Command =
  | { kind: 'cut' }
  | { kind: 'blackhole'; on: boolean }
  | { kind: 'latency'; ms: number; jitterMs: number }
  | { kind: 'refuse'; on: boolean }
  | { kind: 'flap'; upMs: number; downMs: number; cycles?: number; mode: FlapMode }
  | { kind: 'stopflap' }
  | { kind: 'heal' }
  | { kind: 'stats' }
  | { kind: 'state' }
  | { kind: 'help' }
  | { kind: 'quit' };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: string };

export const COMMAND_HELP = [
  'cut',
  'blackhole on|off',
  'latency MS [JITTER_MS]',
  'refuse on|off',
  'flap UP_MS DOWN_MS [CYCLES] [cut|blackhole]   (default mode: cut)',
  'flap off',
  'heal',
  'stats',
  'state',
  'help',
  'quit',
];

const fail = (error: string): ParseResult => ({ ok: false, error });
const ok = (command: Command): ParseResult => ({ ok: true, command });

/** Non-negative integer milliseconds; "1e3" or "-5" are typos, not values. */
function parseMs(token: string | undefined): number | null {
  if (token === undefined || !/^\d{1,9}$/.test(token)) return null;
  return Number(token);
}

function parseSwitch(token: string | undefined): boolean | null {
  if (token === 'on') return true;
  if (token === 'off') return false;
  return null;
}

/** Returns null for blank lines and comments so a scripted session can be annotated. */
export function parseCommand(line: string): ParseResult | null {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  const [verb = '', ...args] = trimmed.split(/\s+/);
  const name = verb.toLowerCase();
  const noArgs = (command: Command): ParseResult =>
    args.length === 0 ? ok(command) : fail(`${name} takes no arguments`);

  switch (name) {
    case 'cut':
      return noArgs({ kind: 'cut' });
    case 'heal':
      return noArgs({ kind: 'heal' });
    case 'stats':
      return noArgs({ kind: 'stats' });
    case 'state':
      return noArgs({ kind: 'state' });
    case 'help':
      return noArgs({ kind: 'help' });
    case 'quit':
    case 'exit':
      return noArgs({ kind: 'quit' });
    case 'blackhole':
    case 'refuse': {
      const on = parseSwitch(args[0]);
      if (on === null || args.length !== 1) return fail(`usage: ${name} on|off`);
      return ok({ kind: name, on });
    }
    case 'latency': {
      const ms = parseMs(args[0]);
      const jitterMs = args[1] === undefined ? 0 : parseMs(args[1]);
      if (ms === null || jitterMs === null || args.length > 2) return fail('usage: latency MS [JITTER_MS]');
      return ok({ kind: 'latency', ms, jitterMs });
    }
    case 'flap': {
      if (args.length === 1 && (args[0] === 'off' || args[0] === 'stop')) return ok({ kind: 'stopflap' });
      const usage = 'usage: flap UP_MS DOWN_MS [CYCLES] [cut|blackhole]  or  flap off';
      const upMs = parseMs(args[0]);
      const downMs = parseMs(args[1]);
      if (upMs === null || downMs === null || upMs === 0 || downMs === 0 || args.length > 4) return fail(usage);
      let cycles: number | undefined;
      let mode: FlapMode = 'cut';
      // CYCLES and mode are each optional, so classify the rest by shape; reject repeats.
      let sawCycles = false;
      let sawMode = false;
      for (const token of args.slice(2)) {
        if (token === 'cut' || token === 'blackhole') {
          if (sawMode) return fail(usage);
          sawMode = true;
          mode = token;
        } else {
          const n = parseMs(token);
          if (n === null || n === 0 || sawCycles || sawMode) return fail(usage);
          sawCycles = true;
          cycles = n;
        }
      }
      return ok(
        cycles === undefined ? { kind: 'flap', upMs, downMs, mode } : { kind: 'flap', upMs, downMs, cycles, mode },
      );
    }
    default:
      return fail(`unknown command "${verb}" (try: help)`);
  }
}

export type Reply = { type: 'reply'; cmd: string; ok: boolean } & Record<string, unknown>;

/** Applies a command; quit is only acknowledged here, the caller owns shutdown. */
export function executeCommand(proxy: FaultProxy, command: Command): Reply {
  const reply = (extra: Record<string, unknown> = {}): Reply => ({
    type: 'reply',
    cmd: command.kind,
    ok: true,
    ...extra,
  });
  switch (command.kind) {
    case 'cut':
      return reply({ closed: proxy.cut() });
    case 'blackhole':
      proxy.blackhole(command.on);
      return reply();
    case 'refuse':
      proxy.refuse(command.on);
      return reply();
    case 'latency':
      proxy.setLatency(command.ms, command.jitterMs);
      return reply();
    case 'flap': {
      const { kind: _kind, ...options } = command;
      proxy.flap(options);
      return reply();
    }
    case 'stopflap':
      proxy.stopFlap();
      return reply();
    case 'heal':
      proxy.heal();
      return reply();
    case 'stats':
      return reply({ stats: proxy.stats() });
    case 'state':
      return reply({ state: proxy.state() });
    case 'help':
      return reply({ commands: COMMAND_HELP });
    case 'quit':
      return reply();
  }
}
