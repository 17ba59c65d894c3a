// CLI for the fault proxy: forwards LISTEN → TARGET and takes line commands from stdin and, with
// --control, from a loopback TCP port (so a demo script can drive it while stdin is a terminal).
// Everything on stdout is one JSON object per line so tests and log tooling can parse it.
//
//   tsx tools/net-fault-proxy/cli.ts --listen 127.0.0.1:5673 --target 127.0.0.1:5672 [--control 5680]
import net from 'node:net';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { Subscription } from 'rxjs';
import { COMMAND_HELP, executeCommand, parseCommand } from './commands';
import type { Reply } from './commands';
import { isLoopbackHost, startFaultProxy } from './proxy';
import type { FaultProxy } from './proxy';

const USAGE = `usage: tsx tools/net-fault-proxy/cli.ts --target HOST:PORT [--listen HOST:PORT] [--control PORT]

  --target HOST:PORT   where to forward (loopback only), e.g. 127.0.0.1:5672
  --listen HOST:PORT   where to accept (loopback only; default 127.0.0.1:0 = random port)
  --control PORT       also accept line commands on 127.0.0.1:PORT (0 = random)

Commands (stdin or control port, one per line):
${COMMAND_HELP.map((c) => `  ${c}`).join('\n')}
`;

class UsageError extends Error {}

interface Endpoint {
  host: string;
  port: number;
}

function parsePort(text: string, what: string, allowZero: boolean): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`${what}: "${text}" is not a port number`);
  const port = Number(text);
  if (port > 65535 || (!allowZero && port === 0)) throw new UsageError(`${what}: port ${port} is out of range`);
  return port;
}

/** HOST:PORT, [IPv6]:PORT, or a bare PORT meaning 127.0.0.1. */
function parseEndpoint(text: string, what: string, allowZero: boolean): Endpoint {
  let host = '127.0.0.1';
  let portText = text;
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
  } else if (text.includes(':')) {
    const at = text.lastIndexOf(':');
    host = text.slice(0, at);
    portText = text.slice(at + 1);
  }
  if (!isLoopbackHost(host)) {
    throw new UsageError(
      `${what}: "${host}" is not a loopback address (this tool only runs on 127.x.x.x, ::1, localhost)`,
    );
  }
  return { host, port: parsePort(portText, what, allowZero) };
}

interface CliOptions {
  listen: Endpoint;
  target: Endpoint;
  control: number | null;
}

function parseCli(argv: string[]): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: 'string' },
        target: { type: 'string' },
        control: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (values.target === undefined) throw new UsageError('--target HOST:PORT is required');
  return {
    target: parseEndpoint(values.target, '--target', false),
    listen: parseEndpoint(values.listen ?? '127.0.0.1:0', '--listen', true),
    control: values.control === undefined ? null : parsePort(values.control, '--control', true),
  };
}

const emit = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`net-fault-proxy: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  const proxy: FaultProxy = await startFaultProxy({
    listenHost: options.listen.host,
    listenPort: options.listen.port,
    targetHost: options.target.host,
    targetPort: options.target.port,
  });

  const controlSockets = new Set<net.Socket>();
  let control: net.Server | null = null;
  let shuttingDown = false;
  let stateSub: Subscription | null = null;

  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const socket of controlSockets) socket.destroy();
    control?.close();
    await proxy.close();
    stateSub?.unsubscribe();
    // stdout is a pipe or TTY (synchronous writes on Linux), so nothing is lost by exiting now;
    // exiting explicitly also releases stdin, which would otherwise keep the process alive.
    process.exit(code);
  };

  const handleLine = (line: string, respond: (reply: Reply) => void): void => {
    const parsed = parseCommand(line);
    if (parsed === null) return;
    if (!parsed.ok) {
      respond({ type: 'reply', cmd: line.trim().split(/\s+/)[0] ?? '', ok: false, error: parsed.error });
      return;
    }
    try {
      respond(executeCommand(proxy, parsed.command));
    } catch (err) {
      respond({ type: 'reply', cmd: parsed.command.kind, ok: false, error: (err as Error).message });
      return;
    }
    if (parsed.command.kind === 'quit') void shutdown(0);
  };

  if (options.control !== null) {
    control = net.createServer((socket) => {
      controlSockets.add(socket);
      socket.on('close', () => controlSockets.delete(socket));
      socket.on('error', () => {
        // A control client vanishing is not our problem; 'close' cleans up.
      });
      const lines = readline.createInterface({ input: socket, crlfDelay: Infinity });
      lines.on('line', (line) =>
        handleLine(line, (reply) => {
          if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
        }),
      );
    });
    const controlServer = control;
    try {
      await new Promise<void>((resolve, reject) => {
        controlServer.once('error', reject);
        controlServer.listen(options.control ?? 0, '127.0.0.1', () => resolve());
      });
    } catch (err) {
      process.stderr.write(
        `net-fault-proxy: cannot listen on control port ${options.control}: ${(err as Error).message}\n`,
      );
      await proxy.close();
      process.exit(1);
    }
  }
  const controlAddress = control ? (control.address() as net.AddressInfo) : null;

  emit({
    type: 'listening',
    listen: { host: proxy.host, port: proxy.port },
    target: options.target,
    control: controlAddress ? { host: controlAddress.address, port: controlAddress.port } : null,
  });
  // After "listening" so a reader always sees where to connect first; state$ replays the current state.
  stateSub = proxy.state$.subscribe((state) => emit({ type: 'state', at: new Date().toISOString(), ...state }));

  // stdin closing (e.g. started with </dev/null) does not stop the proxy: forwarding is still
  // useful, and the control port or a signal can still stop it.
  const stdinLines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  stdinLines.on('line', (line) => handleLine(line, emit));

  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`net-fault-proxy: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
