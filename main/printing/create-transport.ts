/**
 * The default transport for each kind of printer connection. Kept apart from transport.ts (the contract every
 * transport implements and the outcomes they share), so the transports import the contract and only this file
 * imports the transports.
 */
import { FolderTransport } from './folder';
import { SpoolerTransport } from './spooler';
import { TcpTransport } from './tcp';
import { unavailable, type TransportFactory } from './transport';
import { UsbFileTransport } from './usb-file';

export const createTransport: TransportFactory = (printer) => {
  switch (printer.transport.kind) {
    case 'tcp':
      return new TcpTransport(printer.transport.host, printer.transport.port, printer.timeouts, printer.status);
    case 'usb':
      return new UsbFileTransport(printer.transport.path, printer.timeouts, printer.status);
    case 'spooler':
      return new SpoolerTransport(printer.transport.name, printer.timeouts);
    case 'folder':
      return new FolderTransport(printer.transport.path);
    case 'system':
      // Operating-system printers need the desktop app's print dialog machinery (main/electron passes its own
      // factory for them); anywhere else every job fails before sending, saying why.
      return unavailable(
        `system printer "${printer.transport.name}": only the desktop app can print to operating-system printers`,
      );
  }
};
