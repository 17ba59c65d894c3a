/**
 * V8 flags for the station host process, in the desktop app (Electron's utilityProcess) and the browser mode (a Node
 * child) alike. V8 grows the young generation's two semi-spaces to 16 MB each while a large import allocates, and
 * keeps them committed afterwards, empty: 32 MB of a kiosk's memory for nothing. At 8 MB each, station.rss (50,000
 * registrants imported and searched) went from ~178 to ~158 MB, with the import's time and a sale's CPU unchanged
 * within noise (bench/README.md).
 */
export const stationHostV8Flags: readonly string[] = ['--max-semi-space-size=8'];
