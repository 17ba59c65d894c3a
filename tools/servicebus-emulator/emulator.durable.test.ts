import { emulatorSuite } from './suite';

emulatorSuite('durable');
