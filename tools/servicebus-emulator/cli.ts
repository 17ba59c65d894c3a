/**
 * `npm run -s emulator -- --config FILE [--port N] [--host H] [--data DIR]`
 * Prints the connection string once listening; stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ConfigError, DataDirInUseError, startEmulator } from './index';

const USAGE = `usage: npm run -s emulator -- --config FILE [--port N] [--host ADDR] [--data DIR] [--quiet]
  --config FILE  Config.json in the official Service Bus emulator format (required)
  --port N       TCP port, 0 for a free one (default 5672)
  --host ADDR    listen address (default 127.0.0.1)
  --data DIR     durable mode: store messages in DIR (SQLite); default in memory`;

/** A bad command line or configuration: one line on stderr, exit 2. */
function fail(message: string): never {
  console.error(`servicebus-emulator: ${message.replace(/\s*\n\s*/g, ' ')} (--help for usage)`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.config) fail('--config is required');
  let port = 5672;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
      fail(`--port must be an integer 0..65535, got "${values.port}"`);
    port = Number(values.port);
  }
  if (values.data !== undefined && values.data.trim() === '') fail('--data needs a directory');
  const log = values.quiet ? () => {} : (line: string) => console.error(`[emulator] ${line}`);
  try {
    const em = await startEmulator({
      config: values.config,
      port,
      host: values.host ?? '127.0.0.1',
      dataDir: values.data,
      log,
    });
    console.log(
      JSON.stringify({ listening: true, port: em.port, connectionString: em.connectionString, durable: !!values.data }),
    );
    const stop = (): void => {
      void em.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    if (e instanceof DataDirInUseError) {
      console.error(`servicebus-emulator: ${e.message}`);
      process.exit(1);
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') fail(`port ${port} is already in use`);
    if (err.code === 'EACCES') fail(`not allowed to listen on port ${port}`);
    fail(err.message);
  }
}

void main();
