/**
 * The trade-off chart: per policy, mean oversold seats per day (x) against mean sales refused while seats were
 * free per day (y), with 95% confidence intervals as error bars, on square-root axes. A plain SVG string, no dependencies.
 */
import type { PolicySummary } from './simulation';

const palette = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Ticks for a square-root axis: 0 and the 1-2-5 sequence from max/100 up to max. Both axes use √ scales so that the policies
 * near the origin (the interesting ones) can be told apart from the extremes.
 */
export function sqrtTicks(max: number): number[] {
  const ticks = [0];
  for (let pow = 0.01; pow <= max * 10; pow *= 10) {
    for (const f of [1, 2, 5]) {
      const v = Math.round(f * pow * 100) / 100;
      if (v <= max && v >= max / 100) ticks.push(v);
    }
  }
  // Keep the axis readable: about ten labels at most, dropping the smallest first.
  while (ticks.length > 10) ticks.splice(1, 1);
  return ticks;
}

const fmt = (n: number) => String(n);

export function renderChart(policies: readonly PolicySummary[], subtitle: string): string {
  const width = 980;
  const height = 560;
  const plot = { left: 70, top: 60, right: 560, bottom: 490 };
  const xs = policies.map((p) => p.metrics.oversoldSeats);
  const ys = policies.map((p) => p.metrics.refusedWhileFree);
  const xMaxData = Math.max(1, ...xs.map((e) => (Number.isFinite(e.ci95[1]) ? e.ci95[1] : 0)));
  const yMaxData = Math.max(1, ...ys.map((e) => (Number.isFinite(e.ci95[1]) ? e.ci95[1] : 0)));
  const xMax = xMaxData * 1.05;
  const yMax = yMaxData * 1.05;
  const px = (v: number) => plot.left + Math.sqrt(Math.max(0, v) / xMax) * (plot.right - plot.left);
  const py = (v: number) => plot.bottom - Math.sqrt(Math.max(0, v) / yMax) * (plot.bottom - plot.top);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${plot.left}" y="24" font-size="16" font-weight="bold">Lanyard policy simulator: oversold seats vs sales refused while seats were free</text>`,
    `<text x="${plot.left}" y="44" fill="#555">${escapeXml(subtitle)}</text>`,
  );
  // Grid and ticks.
  for (const v of sqrtTicks(xMax)) {
    const x = px(v);
    out.push(`<line x1="${x.toFixed(1)}" y1="${plot.top}" x2="${x.toFixed(1)}" y2="${plot.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x.toFixed(1)}" y="${plot.bottom + 18}" text-anchor="middle" fill="#333">${fmt(v)}</text>`);
  }
  for (const v of sqrtTicks(yMax)) {
    const y = py(v);
    out.push(`<line x1="${plot.left}" y1="${y.toFixed(1)}" x2="${plot.right}" y2="${y.toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${plot.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="#333">${fmt(v)}</text>`);
  }
  out.push(
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#999"/>`,
    `<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 40}" text-anchor="middle">oversold seats per day (mean, 95% CI; √ scale)</text>`,
    `<text transform="translate(20 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">sales refused while seats were free per day (mean, 95% CI; √ scale)</text>`,
  );
  // Points with error bars, numbered; the legend maps numbers to policies.
  policies.forEach((p, i) => {
    const color = palette[i % palette.length]!;
    const ex = p.metrics.oversoldSeats;
    const ey = p.metrics.refusedWhileFree;
    const x = px(ex.mean);
    const y = py(ey.mean);
    out.push(`<g class="policy${p.default ? ' default' : ''}" data-policy="${escapeXml(p.id)}">`);
    // The station's default policy: a ring around its point, so it is found at a glance.
    if (p.default)
      out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="10" fill="none" stroke="#222" stroke-width="2"/>`);
    out.push(
      `<line x1="${px(ex.ci95[0]).toFixed(1)}" y1="${y.toFixed(1)}" x2="${px(ex.ci95[1]).toFixed(1)}" y2="${y.toFixed(1)}" stroke="${color}" stroke-width="1.5"/>`,
    );
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${py(ey.ci95[0]).toFixed(1)}" x2="${x.toFixed(1)}" y2="${py(ey.ci95[1]).toFixed(1)}" stroke="${color}" stroke-width="1.5"/>`,
    );
    out.push(
      `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="5" fill="${color}" stroke="#222" stroke-width="0.8"><title>${escapeXml(`${p.label}: ${ex.mean.toFixed(2)} oversold, ${ey.mean.toFixed(2)} refused while free`)}</title></circle>`,
    );
    // Alternate label sides so that neighbouring points stay readable.
    const dx = i % 2 === 0 ? 8 : -8;
    out.push(
      `<text x="${(x + dx).toFixed(1)}" y="${(y - 7).toFixed(1)}" text-anchor="${i % 2 === 0 ? 'start' : 'end'}" font-weight="bold" fill="${color}">${i + 1}</text>`,
    );
    out.push(`</g>`);
  });
  const lx = plot.right + 20;
  out.push(`<text x="${lx}" y="${plot.top}" font-weight="bold">policy (oversold, refused while free)</text>`);
  policies.forEach((p, i) => {
    const color = palette[i % palette.length]!;
    const y = plot.top + 22 + i * 36;
    out.push(`<circle cx="${lx + 6}" cy="${y - 4}" r="5" fill="${color}" stroke="#222" stroke-width="0.8"/>`);
    out.push(
      `<text x="${lx + 18}" y="${y}"><tspan font-weight="bold">${i + 1}</tspan> ${escapeXml(p.label)}${p.default ? ' <tspan font-weight="bold">(default)</tspan>' : ''}</text>`,
    );
    out.push(
      `<text x="${lx + 18}" y="${y + 15}" fill="#555">${p.metrics.oversoldSeats.mean.toFixed(2)} / ${p.metrics.refusedWhileFree.mean.toFixed(1)} per day</text>`,
    );
  });
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}
