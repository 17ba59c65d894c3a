/**
 * npm run -s virtual-printer -- --port 9100 --out DIR [--host 127.0.0.1] [--width 576]
 *                               [--paper-out] [--cover-open] [--offline] [--slow MS] [--drop-after BYTES]
 *
 * Runs a virtual TCP printer until interrupted. Each job is written to DIR as NNNN.bin, NNNN.txt (decoded text)
 * and NNNN.png (a picture of the print). Type commands on stdin to change its state while it runs:
 *   paper-out on|off   cover on|off   offline on|off   paper-low on|off   slow MS   drop BYTES|off
 *   paper-out-next     status         jobs              help
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { VirtualPrinter, type PrinterFaults } from './virtual-printer';

const HELP =
  'commands: paper-out on|off, cover on|off, offline on|off, paper-low on|off, slow MS, drop BYTES|off, paper-out-next, status, jobs, help';

export function applyCommand(p: VirtualPrinter, line: string): string {
  const [cmd = '', arg = ''] = line.trim().split(/\s+/);
  const flag = (name: keyof PrinterFaults) => {
    if (arg !== 'on' && arg !== 'off') return `usage: ${cmd} on|off`;
    p.set({ [name]: arg === 'on' });
    return `${cmd} ${arg}`;
  };
  switch (cmd) {
    case '':
      return '';
    case 'paper-out':
      return flag('paperOut');
    case 'cover':
      return flag('coverOpen');
    case 'offline':
      return flag('offline');
    case 'paper-low':
      return flag('paperLow');
    case 'slow': {
      if (!/^\d+$/.test(arg)) return 'usage: slow MS (0 = normal speed)';
      p.set({ slowMs: Number(arg) });
      return `slow ${arg} ms`;
    }
    case 'drop': {
      if (arg === 'off') p.set({ dropAfterBytes: null });
      else if (/^\d+$/.test(arg)) p.set({ dropAfterBytes: Number(arg) });
      else return 'usage: drop BYTES|off';
      return `drop ${arg}`;
    }
    case 'paper-out-next':
      p.set({ paperOutDuringNextJob: true });
      return 'the paper runs out during the next job';
    case 'status':
      return JSON.stringify(p.faults);
    case 'jobs':
      return (
        p.jobs
          .map((j) => `${j.n}: ${j.bytes.length} bytes ${j.complete ? '' : '(dropped) '}${j.text[0] ?? ''}`)
          .join('\n') || 'no jobs yet'
      );
    case 'help':
      return HELP;
    default:
      return `unknown command "${cmd}"; ${HELP}`;
  }
}

export async function main(argv: string[]): Promise<VirtualPrinter> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '9100' },
      host: { type: 'string', default: '127.0.0.1' },
      out: { type: 'string' },
      width: { type: 'string', default: '576' },
      'paper-out': { type: 'boolean' },
      'cover-open': { type: 'boolean' },
      offline: { type: 'boolean' },
      slow: { type: 'string' },
      'drop-after': { type: 'string' },
    },
    strict: true,
  });
  const num = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number`);
    return Number(v);
  };
  const printer = new VirtualPrinter({
    port: num(values.port, 'port')!,
    host: values.host!,
    outDir: values.out ?? null,
    widthDots: num(values.width, 'width')!,
    faults: {
      paperOut: values['paper-out'] ?? false,
      coverOpen: values['cover-open'] ?? false,
      offline: values.offline ?? false,
      slowMs: num(values.slow, 'slow') ?? 0,
      dropAfterBytes: num(values['drop-after'], 'drop-after') ?? null,
    },
  });
  const port = await printer.start();
  console.log(
    `virtual printer listening on tcp://${printer.host}:${port}${values.out ? `, jobs in ${values.out}` : ''}`,
  );
  printer.on('job', (j: { n: number; bytes: Buffer; text: string[]; complete: boolean; files: string[] }) =>
    console.log(
      `job ${j.n}: ${j.bytes.length} bytes${j.complete ? '' : ' (connection dropped)'}${j.text[0] ? ` — ${j.text.find((l) => l.trim()) ?? ''}` : ''}${j.files.length ? ` → ${j.files.join(', ')}` : ''}`,
    ),
  );
  return printer;
}

const isMain = process.argv[1]?.endsWith('tools/virtual-printer/cli.ts');
if (isMain) {
  try {
    const printer = await main(process.argv.slice(2));
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (l) => {
      const out = applyCommand(printer, l);
      if (out) console.log(out);
    });
    const stop = () => void printer.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    process.exitCode = 2;
  }
}
