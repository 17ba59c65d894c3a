// Spawns the real CLI the way the README says to run it (node --import tsx) against a loopback echo server.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, connected, delay, roundTrip, startEchoServer, waitUntil } from './test-helpers';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Line = Record<string, unknown>;

interface Running {
  child: ChildProcessWithoutNullStreams;
  lines: Line[];
  stderr(): string;
  /** Resolves the first line (from index `from`) matching `match`, or throws at the deadline. */
  waitForLine(match: (line: Line) => boolean, timeoutMs?: number, from?: number): Promise<Line>;
  exited(timeoutMs?: number): Promise<number | null | 'timeout'>;
}

const children: ChildProcessWithoutNullStreams[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function runCli(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT });
  children.push(child);
  const lines: Line[] = [];
  let pending = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Line);
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => err,
    async waitForLine(match, timeoutMs = 5000, from = 0) {
      let found: Line | undefined;
      await waitUntil(() => (found = lines.slice(from).find(match)) !== undefined, timeoutMs);
      if (!found)
        throw new Error(`no matching line within ${timeoutMs} ms; got ${JSON.stringify(lines)} stderr=${err}`);
      return found;
    },
    exited: (timeoutMs = 5000) => Promise.race([exit, delay(timeoutMs).then(() => 'timeout' as const)]),
  };
}

const send = (cli: Running, line: string): void => {
  cli.child.stdin.write(`${line}\n`);
};

describe('net-fault-proxy CLI', () => {
  it('forwards, takes stdin and control-port commands, prints JSON lines, and quits cleanly', async () => {
    const echo = await startEchoServer();
    cleanups.push(() => echo.close());
    const cli = runCli(['--listen', '127.0.0.1:0', '--target', `127.0.0.1:${echo.port}`, '--control', '0']);

    const listening = await cli.waitForLine((l) => l.type === 'listening', 15_000);
    const port = (listening.listen as { port: number }).port;
    const controlPort = (listening.control as { port: number }).port;
    await cli.waitForLine((l) => l.type === 'state' && l.mode === 'forward');

    const c = await connected(port);
    cleanups.push(() => void c.socket.destroy());
    await roundTrip(c, 'through-the-cli;');

    send(cli, 'latency 120');
    await cli.waitForLine((l) => l.type === 'state' && l.mode === 'latency' && l.latencyMs === 120);
    expect(await roundTrip(c, 'slow;')).toBeGreaterThanOrEqual(200);

    send(cli, 'blackhole on');
    await cli.waitForLine((l) => l.type === 'state' && l.mode === 'blackhole');

    send(cli, 'nonsense 1 2');
    const bad = await cli.waitForLine((l) => l.type === 'reply' && l.ok === false);
    expect(bad.error).toMatch(/unknown command/);

    send(cli, 'heal');
    await cli.waitForLine((l) => l.type === 'state' && l.mode === 'forward', 5000, cli.lines.length);
    send(cli, 'stats');
    const stats = await cli.waitForLine((l) => l.type === 'reply' && l.cmd === 'stats');
    expect(stats.stats).toMatchObject({ connectionsTotal: 1, connectionsOpen: 1 });
    expect((stats.stats as { bytesUp: number }).bytesUp).toBeGreaterThan(0);

    // Same commands over the control port; replies go back on that socket, state lines to stdout.
    const control = net.connect({ host: '127.0.0.1', port: controlPort });
    cleanups.push(() => void control.destroy());
    let controlText = '';
    control.on('data', (chunk: Buffer) => (controlText += chunk.toString('utf8')));
    control.write('refuse on\n');
    expect(await waitUntil(() => controlText.includes('\n'), 3000)).toBe(true);
    expect(JSON.parse(controlText.split('\n')[0] ?? '')).toMatchObject({ type: 'reply', cmd: 'refuse', ok: true });
    await cli.waitForLine((l) => l.type === 'state' && l.mode === 'refuse');

    send(cli, 'cut');
    const cut = await cli.waitForLine((l) => l.type === 'reply' && l.cmd === 'cut');
    expect(cut.closed).toBe(1);
    expect(await c.waitClosed(1000)).toBe(true);

    send(cli, 'quit');
    expect(await cli.exited()).toBe(0);
    expect(cli.lines.at(-1)).toMatchObject({ type: 'state', mode: 'closed' });
    expect(cli.stderr()).toBe('');
  });

  it('quits on a control-port quit too', async () => {
    const cli = runCli(['--target', `127.0.0.1:${await closedPort()}`, '--control', '0']);
    const listening = await cli.waitForLine((l) => l.type === 'listening', 15_000);
    const control = net.connect({ host: '127.0.0.1', port: (listening.control as { port: number }).port });
    control.on('error', () => {});
    cleanups.push(() => void control.destroy());
    control.write('quit\n');
    expect(await cli.exited()).toBe(0);
  });

  it.each([
    [[], /--target/],
    [['--target', '127.0.0.1'], /not a port/],
    [['--target', '127.0.0.1:70000'], /out of range/],
    [['--target', '192.168.1.20:5672'], /loopback/],
    [['--target', '127.0.0.1:5672', '--listen', '0.0.0.0:5673'], /loopback/],
    [['--target', '127.0.0.1:5672', '--control', 'abc'], /--control/],
    [['--target', '127.0.0.1:5672', '--bogus'], /bogus/],
  ])('bad arguments %j → readable stderr and exit code 2', async (args, message) => {
    const cli = runCli(args);
    expect(await cli.exited(15_000)).toBe(2);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).toMatch(/usage:/);
    expect(cli.lines).toEqual([]);
  });
});
