/**
 * The Windows spooler in RAW mode, with the same interface as the other transports.
 *
 * How it works on Windows: the job's bytes go to a temporary file, and a PowerShell child process calls the Win32
 * spooler API through a small P/Invoke shim (OpenPrinter, StartDocPrinter with datatype "RAW", StartPagePrinter,
 * WritePrinter, EndPagePrinter, EndDocPrinter, ClosePrinter) so the printer receives the bytes untouched by any driver.
 * The printer name is the one shown in Windows settings (or a share, `\\localhost\Badge`).
 *
 * What it can and cannot tell: the spooler accepting a job does not mean paper moved — a paused or offline printer
 * keeps the job and prints it later. So a spooled job ends `uncertain` and staff confirm it, unless the spooler
 * refused it (then `failed`). Use TCP or the USB device file where the kiosk must know on its own.
 *
 * Not exercised on the Linux build machines; on other platforms every job fails with that explanation.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrinterConfig } from '../../core/badge/printer';
import { status, type PrinterStatus } from './status';
import { failed, uncertain, type PrinterTransport, type SendResult } from './transport';

const SCRIPT = String.raw`
param([string]$Printer, [string]$File)
Add-Type -TypeDefinition @"
using System; using System.Runtime.InteropServices;
public static class LanyardRaw {
  [StructLayout(LayoutKind.Sequential, CharSet=CharSet.Unicode)] public class DOCINFO { public string pDocName; public string pOutputFile; public string pDataType; }
  [DllImport("winspool.drv", CharSet=CharSet.Unicode, SetLastError=true)] public static extern bool OpenPrinter(string n, out IntPtr h, IntPtr d);
  [DllImport("winspool.drv", SetLastError=true)] public static extern bool ClosePrinter(IntPtr h);
  [DllImport("winspool.drv", CharSet=CharSet.Unicode, SetLastError=true)] public static extern int StartDocPrinter(IntPtr h, int level, DOCINFO di);
  [DllImport("winspool.drv", SetLastError=true)] public static extern bool EndDocPrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError=true)] public static extern bool StartPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError=true)] public static extern bool EndPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError=true)] public static extern bool WritePrinter(IntPtr h, byte[] b, int n, out int w);
}
"@
$bytes = [System.IO.File]::ReadAllBytes($File)
$h = [IntPtr]::Zero
if (-not [LanyardRaw]::OpenPrinter($Printer, [ref]$h, [IntPtr]::Zero)) { Write-Output "open-failed"; exit 2 }
$di = New-Object LanyardRaw+DOCINFO; $di.pDocName = "Lanyard badge"; $di.pDataType = "RAW"
if ([LanyardRaw]::StartDocPrinter($h, 1, $di) -eq 0) { [LanyardRaw]::ClosePrinter($h) | Out-Null; Write-Output "startdoc-failed"; exit 3 }
Write-Output "spooling"
[LanyardRaw]::StartPagePrinter($h) | Out-Null
$w = 0; $ok = [LanyardRaw]::WritePrinter($h, $bytes, $bytes.Length, [ref]$w)
[LanyardRaw]::EndPagePrinter($h) | Out-Null; [LanyardRaw]::EndDocPrinter($h) | Out-Null; [LanyardRaw]::ClosePrinter($h) | Out-Null
if (-not $ok -or $w -ne $bytes.Length) { Write-Output "write-failed $w"; exit 4 }
Write-Output "spooled $w"
`;

export class SpoolerTransport implements PrinterTransport {
  readonly description: string;

  constructor(
    private readonly name: string,
    private readonly timeouts: PrinterConfig['timeouts'],
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.description = `spooler ${name}`;
  }

  async status(): Promise<PrinterStatus> {
    if (this.platform !== 'win32') return status('unreachable', 'the Windows spooler is only available on Windows');
    return status('unknown', 'the spooler does not report the printer’s paper or cover');
  }

  async send(job: Uint8Array, beginSending: () => Promise<boolean>): Promise<SendResult> {
    if (this.platform !== 'win32')
      return failed('unreachable: the Windows spooler is only available on Windows', status('unreachable'));
    const dir = mkdtempSync(join(tmpdir(), 'lanyard-spool-'));
    try {
      const file = join(dir, 'job.bin');
      const script = join(dir, 'raw.ps1');
      writeFileSync(file, job);
      writeFileSync(script, SCRIPT);
      if (!(await beginSending())) return failed('cancelled before sending');
      const r = await new Promise<{ code: number | null; out: string; timedOut: boolean }>((resolve) => {
        const child = spawn(
          'powershell.exe',
          [
            '-NoProfile',
            '-NonInteractive',
            '-ExecutionPolicy',
            'Bypass',
            '-File',
            script,
            '-Printer',
            this.name,
            '-File',
            file,
          ],
          { windowsHide: true },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        const timer = setTimeout(
          () => (child.kill(), resolve({ code: null, out, timedOut: true })),
          this.timeouts.writeMs,
        );
        child.on('close', (code) => (clearTimeout(timer), resolve({ code, out, timedOut: false })));
        child.on('error', () => (clearTimeout(timer), resolve({ code: -1, out, timedOut: false })));
      });
      // Refused before any byte reached the spooler: nothing will print.
      if (/open-failed|startdoc-failed/.test(r.out) || (r.code !== 0 && !r.out.includes('spooling')))
        return failed(`the spooler refused the job (${r.out.trim() || `exit ${r.code}`})`);
      if (r.timedOut) return uncertain('the spooler did not finish taking the job in time', null);
      if (r.code !== 0) return uncertain(`the spooler took part of the job (${r.out.trim()})`, null);
      return uncertain('handed to the Windows spooler; confirm that the badge came out', null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
