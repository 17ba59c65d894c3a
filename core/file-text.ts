/** Text that came from a file another tool wrote. */

/**
 * Drops a leading UTF-8 byte order mark. Windows tools (Notepad, Excel's "CSV UTF-8", PowerShell) write one; JSON
 * and most parsers treat it as an invisible stray character. Call once, where the file is read.
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
