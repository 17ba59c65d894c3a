/**
 * ISO-8601 durations as the official emulator's Config.json uses them ("PT1M", "P7D", "PT0.5S"), plus .NET's
 * TimeSpan.MaxValue spelling ("P10675199DT2H48M5.4775807S") which portal exports use for "never expires".
 * Years and months are rejected: their length in milliseconds is ambiguous and Service Bus never needs them.
 */
const PATTERN =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Returns milliseconds, or null when `text` is not a duration this parser understands. */
export function parseDuration(text: string): number | null {
  const m = PATTERN.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [, w, d, h, min, s] = m;
  if (w === undefined && d === undefined && h === undefined && min === undefined && s === undefined) return null;
  const n = (v: string | undefined): number => (v === undefined ? 0 : Number(v));
  return Math.round(((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60 + n(s)) * 1000);
}

export function formatDuration(ms: number): string {
  return `PT${ms / 1000}S`;
}
