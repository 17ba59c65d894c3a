/**
 * A "printer" that is a folder: each badge job is a PNG written there (the embedded default, the demo, anyone
 * without hardware). The file appears whole or not at all (written beside, then renamed), so a job is `printed`
 * when the rename succeeded and `failed` otherwise — nothing half-written is left to be mistaken for a badge.
 */
import { randomUUID } from 'node:crypto';
import { access, constants, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { status, type PrinterStatus } from './status';
import { failed, type PrinterTransport, type SendResult } from './transport';

export class FolderTransport implements PrinterTransport {
  readonly description: string;

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.description = `folder ${dir}`;
  }

  async status(): Promise<PrinterStatus> {
    try {
      await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.W_OK);
      return status('ready');
    } catch (e) {
      return status('unreachable', `cannot write to ${this.dir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }

  async send(job: Uint8Array, beginSending: () => Promise<boolean>): Promise<SendResult> {
    const before = await this.status();
    if (before.state !== 'ready') return failed(before.words, before);
    if (!(await beginSending())) return failed('cancelled before sending', before);
    const name = `${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.png`;
    const part = join(this.dir, `.${name}.part`);
    try {
      await writeFile(part, job);
      await rename(part, join(this.dir, name));
      return { outcome: 'printed', words: `saved as ${name}`, before, after: before };
    } catch (e) {
      await rm(part, { force: true }).catch(() => {});
      return failed(`could not save the badge (${(e as NodeJS.ErrnoException).code ?? String(e)})`, before);
    }
  }
}
