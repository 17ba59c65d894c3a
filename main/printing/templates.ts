/** Badge templates and their image assets from assets/badge-templates/, read once and cached. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIssues } from '../../core/conference';
import { BadgeTemplate, fallbackTemplate } from '../../core/badge/template';

export const defaultAssetsDir = fileURLToPath(new URL('../../assets/badge-templates/', import.meta.url));

export interface BadgeAssets {
  /** The template of that id, or the fallback when this station does not have it. */
  template(id: string): BadgeTemplate;
  templateIds(): string[];
  /** The bytes of an image asset (a PNG named by a template's logo block), or null when there is none. */
  asset(name: string): Buffer | null;
}

export function loadBadgeAssets(dir: string = defaultAssetsDir): BadgeAssets {
  const templates = new Map<string, BadgeTemplate>();
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const parsed = BadgeTemplate.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      // A broken template is a packaging bug: fail loudly at start-up rather than print a wrong badge.
      if (!parsed.success) throw new Error(`badge template ${f}: ${describeIssues(parsed.error)}`);
      templates.set(parsed.data.id, parsed.data);
    }
  }
  const assets = new Map<string, Buffer | null>();
  return {
    template: (id) => templates.get(id) ?? templates.get('standard') ?? fallbackTemplate,
    templateIds: () => [...templates.keys()],
    asset(name) {
      if (!assets.has(name)) {
        const file = join(dir, name);
        assets.set(name, /^[\w.-]+\.png$/.test(name) && existsSync(file) ? readFileSync(file) : null);
      }
      return assets.get(name) ?? null;
    },
  };
}
