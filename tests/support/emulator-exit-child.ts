/**
 * Starts the emulator, talks to it with the real SDK, stops both, and then does nothing: the process must exit by
 * itself at once (tools/servicebus-emulator/stop.test.ts). A timer left behind would keep it alive.
 */
import { ServiceBusClient } from '@azure/service-bus';
import { startEmulator } from '../../tools/servicebus-emulator/index';
import { lanyardTopology } from '../../tools/servicebus-emulator/lanyard-topology';

const bus = await startEmulator({ config: lanyardTopology(['desk-a']), port: 0 });
const client = new ServiceBusClient(bus.connectionString);
await client.createSender('station-feed').sendMessages({ body: 'hello' });
const [got] = await client
  .createReceiver('station-feed', 'station-desk-a')
  .receiveMessages(1, { maxWaitTimeInMs: 5000 });
if (!got) throw new Error('nothing received');
await client.close();
await bus.stop();
console.log('stopped');
