/** The Settings screen's simulator findings are the simulator's numbers now: a changed default or model fails here. */
import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../core/conference';
import { computeFindings, findingsFile, renderFindings } from './findings';

describe('the committed policy findings', () => {
  it('match a fresh run of the simulator (regenerate: npx tsx tools/simulator/findings.ts --write, then prettier)', async () => {
    const fresh = computeFindings();
    // Each setting is compared with a value other than the station's default, at the default the station uses now.
    for (const [name, f] of Object.entries(fresh.findings)) {
      expect(f.value, name).toBe(defaultPolicy[name as keyof typeof defaultPolicy]);
      expect(f.other.value, name).not.toBe(f.value);
    }
    const expected = await format(renderFindings(fresh), {
      ...(await resolveConfig(findingsFile)),
      filepath: findingsFile,
    });
    expect(readFileSync(findingsFile, 'utf8')).toBe(expected);
  }, 60_000);
});
