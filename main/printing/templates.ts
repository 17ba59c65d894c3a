/** Badge templates and logos from assets/badge-templates/, read once and cached. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIssues } from '../../core/conference';
import type { Bitmap } from '../../core/badge/bitmap-font';
import { BadgeTemplate, fallbackTemplate } from '../../core/badge/template';
import { pngToBitmap } from './bitmap-png';

export const defaultAssetsDir = fileURLToPath(new URL('../../assets/badge-templates/', import.meta.url));

export interface BadgeAssets {
  /** The template of that id, or the fallback when this station does not have it. */
  template(id: string): BadgeTemplate;
  templateIds(): string[];
  logo(asset: string): Bitmap | null;
}

export function loadBadgeAssets(dir: string = defaultAssetsDir): BadgeAssets {
  const templates = new Map<string, BadgeTemplate>();
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const parsed = BadgeTemplate.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      // A broken template is a packaging bug: fail loudly at start-up rather than print a wrong badge.
      if (!parsed.success) throw new Error(`badge template ${f}: ${describeIssues(parsed.error)}`);
      templates.set(parsed.data.id, parsed.data);
    }
  }
  const logos = new Map<string, Bitmap | null>();
  return {
    template: (id) => templates.get(id) ?? templates.get('standard') ?? fallbackTemplate,
    templateIds: () => [...templates.keys()],
    logo(asset) {
      if (!logos.has(asset)) {
        const file = join(dir, asset);
        logos.set(asset, /^[\w.-]+\.png$/.test(asset) && existsSync(file) ? pngToBitmap(readFileSync(file)) : null);
      }
      return logos.get(asset) ?? null;
    },
  };
}
