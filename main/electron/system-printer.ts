/**
 * Printing a badge picture on an operating-system printer (label and laser printers with only a system driver):
 * a hidden, locked-down window shows the PNG at the badge's size and prints it silently to the named printer.
 * The OS only says "handed over" or not; so the job is `printed` only when it reports success, otherwise
 * `uncertain` — staff look at the printer — and it is never retried by itself.
 */
import type { BrowserWindow as BrowserWindowType } from 'electron';
import type { SendResult } from '../printing/transport';
import { webPreferences } from './windows';

export interface SystemPrintJob {
  printer: string;
  png: Uint8Array;
  widthDots: number;
  dpi: number;
}

/** The page in microns, from the picture's size at the printer's resolution (at least 1 inch, Chromium's minimum). */
export function pageSize(job: SystemPrintJob, heightDots: number): { width: number; height: number } {
  const microns = (dots: number) => Math.max(25_400, Math.round((dots / job.dpi) * 25_400));
  return { width: microns(job.widthDots), height: microns(heightDots) };
}

export function pngHeight(png: Uint8Array): number {
  // IHDR: width at bytes 16–19, height at 20–23 (big-endian).
  return png.length > 24 ? ((png[20]! << 24) | (png[21]! << 16) | (png[22]! << 8) | png[23]!) >>> 0 : 0;
}

export function printOnSystem(
  BrowserWindow: typeof BrowserWindowType,
  preload: string,
  timeoutMs = 60_000,
): (job: SystemPrintJob) => Promise<SendResult> {
  return (job) =>
    new Promise<SendResult>((resolve) => {
      const win = new BrowserWindow({ show: false, webPreferences: { ...webPreferences(preload), javascript: false } });
      let done = false;
      const finish = (r: SendResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (!win.isDestroyed()) win.destroy();
        resolve(r);
      };
      const timer = setTimeout(
        () =>
          finish({
            outcome: 'uncertain',
            words: `the print system did not answer within ${timeoutMs / 1000} s; look at the printer`,
            before: null,
            after: null,
          }),
        timeoutMs,
      );
      const size = pageSize(job, pngHeight(job.png) || job.widthDots);
      const html = `<!doctype html><html><head><style>@page{margin:0;size:${size.width / 1000}mm ${size.height / 1000}mm}html,body{margin:0}img{width:100%;display:block}</style></head><body><img src="data:image/png;base64,${Buffer.from(job.png).toString('base64')}"></body></html>`;
      win.webContents.once('did-finish-load', () => {
        win.webContents.print(
          {
            silent: true,
            deviceName: job.printer,
            printBackground: true,
            margins: { marginType: 'none' },
            pageSize: size,
          },
          (success, failureReason) =>
            finish(
              success
                ? {
                    outcome: 'printed',
                    words: `handed to ${job.printer} by the operating system`,
                    before: null,
                    after: null,
                  }
                : {
                    outcome: 'uncertain',
                    words: `the operating system did not confirm the job (${failureReason || 'no reason given'}); look at the printer`,
                    before: null,
                    after: null,
                  },
            ),
        );
      });
      win.webContents.once('did-fail-load', (_e, _code, description) =>
        finish({
          outcome: 'failed',
          words: `the badge page could not be prepared (${description}); nothing was sent`,
          before: null,
          after: null,
        }),
      );
      void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    });
}
