/**
 * Does the broker answer at all? One connection to the broker's AMQP port (TLS for a namespace, plain TCP for the
 * development emulator, as the SDK connects), our AMQP protocol header out, the broker's back, closed. It proves the
 * whole path — a venue link that accepts connections and then drops them, or swallows every byte, fails it — without
 * credentials or an SDK connection, so the connectivity machine can run it every few hundred ms while the bus is
 * unreachable and reconnect the moment the link heals (main/sync/connectivity.ts).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ParsedConnectionString } from './config';

export interface BrokerAddress {
  host: string;
  port: number;
  tls: boolean;
}

/** Where the SDK connects for this connection string: the endpoint's port, else 5672 (emulator) or 5671 (TLS). */
export function brokerAddress(cs: ParsedConnectionString): BrokerAddress {
  return { host: cs.host, port: cs.port ?? (cs.developmentEmulator ? 5672 : 5671), tls: !cs.developmentEmulator };
}

/** The AMQP 1.0 SASL protocol header: every AMQP broker answers it with its own header before anything else. */
const SASL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 3, 1, 0, 0]);

/** Resolves true when the broker answered its protocol header within `timeoutMs`, false otherwise; never rejects. */
export function brokerAnswers(address: BrokerAddress, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let received = Buffer.alloc(0);
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const socket = address.tls
      ? tls.connect(
          { host: address.host, port: address.port, servername: net.isIP(address.host) ? undefined : address.host },
          () => socket.write(SASL_HEADER),
        )
      : net.connect({ host: address.host, port: address.port }, () => socket.write(SASL_HEADER));
    socket.setNoDelay(true);
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4) finish(received.subarray(0, 4).equals(SASL_HEADER.subarray(0, 4)));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}
