import { emulatorSuite } from './suite';

emulatorSuite('memory');
