/**
 * Programmatic entry point: `startEmulator({ config, port: 0 })` runs a broker on loopback and returns the
 * connection string the real @azure/service-bus SDK uses (`UseDevelopmentEmulator=true`: plain AMQP, no TLS).
 */
import { Broker } from './broker';
import { lockDataDir } from './data-lock';
import { loadConfigFile, parseConfig } from './config';
import type { EmulatorConfig } from './config';
import { AmqpServer } from './server';
import { MemoryJournal } from './store-memory';
import { SqliteJournal } from './store-sqlite';

export type { EmulatorConfig } from './config';
export { ConfigError, loadConfigFile, parseConfig } from './config';
export { DataDirInUseError } from './data-lock';

export interface EmulatorOptions {
  /** A validated config, a raw Config.json object, or the path of a Config.json file. */
  config: EmulatorConfig | object | string;
  /** TCP port; 0 picks a free one. Default 5672. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /**
   * With a directory: every accepted message and settlement is stored there (SQLite) before it is acknowledged. The
   * folder is locked (`emulator.lock`): a second emulator on it fails with DataDirInUseError.
   */
  dataDir?: string;
  /** Diagnostic lines (warnings, hostile clients); default: silent. */
  log?: (line: string) => void;
  /** Largest accepted message; default 262144 (Standard tier). */
  maxMessageSize?: number;
}

export interface RunningEmulator {
  port: number;
  host: string;
  /** Connection string with the default key name/key (or the first namespace SAS policy, if any). */
  connectionString: string;
  /** Builds a connection string for a given SAS key name and key. */
  connectionStringFor(keyName: string, key: string): string;
  config: EmulatorConfig;
  broker: Broker;
  stop(): Promise<void>;
}

function isValidated(c: unknown): c is EmulatorConfig {
  return (
    typeof c === 'object' &&
    c !== null &&
    Array.isArray((c as EmulatorConfig).queues) &&
    Array.isArray((c as EmulatorConfig).topics)
  );
}

export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const config =
    typeof opts.config === 'string'
      ? loadConfigFile(opts.config)
      : isValidated(opts.config)
        ? opts.config
        : parseConfig(opts.config);
  const log = opts.log ?? (() => {});
  for (const w of config.warnings) log(`warning: ${w}`);
  const host = opts.host ?? '127.0.0.1';
  const lock = opts.dataDir ? lockDataDir(opts.dataDir, log) : null;
  let broker: Broker;
  let server: AmqpServer;
  let port: number;
  try {
    const journal = opts.dataDir ? new SqliteJournal(opts.dataDir) : new MemoryJournal();
    broker = new Broker(config, journal, log);
    server = new AmqpServer(broker, { maxMessageSize: opts.maxMessageSize ?? 262144, maxFrameSize: 65536, log });
    try {
      port = await server.listen(opts.port ?? 5672, host);
    } catch (e) {
      broker.close();
      throw e;
    }
  } catch (e) {
    lock?.release();
    throw e;
  }
  const endpointHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const connectionStringFor = (keyName: string, key: string): string =>
    `Endpoint=sb://${endpointHost}:${port};SharedAccessKeyName=${keyName};SharedAccessKey=${key};UseDevelopmentEmulator=true`;
  const first = config.policies[0];
  let stopped = false;
  return {
    port,
    host,
    config,
    broker,
    connectionString: first ? connectionStringFor(first.name, first.key) : connectionStringFor('k', 'v'),
    connectionStringFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      broker.close();
      lock?.release();
    },
  };
}
