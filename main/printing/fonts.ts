/**
 * The fonts badges are drawn with, and the measure the pure layout fits text with (core/badge/layout.ts).
 *
 * - The core pack is bundled (assets/fonts, SIL OFL): Noto Sans (Latin with every combining accent, Greek,
 *   Cyrillic), Noto Sans Arabic, Hebrew, Thai and Devanagari, and Noto Emoji (monochrome, which a thermal head
 *   prints cleanly) as the fallback for emoji. About 3 MB.
 * - The CJK pack comes from the operating system, because a pan-CJK font is 20–60 MB per weight: Debian's
 *   `fonts-noto-cjk`, or Windows' Microsoft YaHei, Malgun Gothic and Yu Gothic, or macOS' own. Font files in the
 *   folders given to `loadBadgeFonts({ dirs })` (region-specific Noto Sans SC/TC/JP/KR, or any other script) are
 *   used too, ahead of the OS's.
 *
 * Skia (@napi-rs/canvas) shapes and rasterises; fontkit reads each font's character map, so a name that no font
 * here can draw is known before it prints (the layout turns that into a `missing_glyphs` warning).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, GlobalFonts, type SKRSContext2D } from './skia';
import * as fontkit from 'fontkit';
import {
  ASCENT_EM,
  LINE_EM,
  sizeLadder,
  type FontSpec,
  type MissingGlyphs,
  type TextMeasure,
} from '../../core/badge/layout';
import { scriptOf } from '../../core/badge/scripts';

export const bundledFontsDir = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));

/** The bundled core pack: file, family. */
const CORE_FONTS: [string, string][] = [
  ['NotoSans-Regular.ttf', 'Noto Sans'],
  ['NotoSans-Bold.ttf', 'Noto Sans'],
  ['NotoSansArabic-Regular.ttf', 'Noto Sans Arabic'],
  ['NotoSansArabic-Bold.ttf', 'Noto Sans Arabic'],
  ['NotoSansHebrew-Regular.ttf', 'Noto Sans Hebrew'],
  ['NotoSansHebrew-Bold.ttf', 'Noto Sans Hebrew'],
  ['NotoSansThai-Regular.ttf', 'Noto Sans Thai'],
  ['NotoSansThai-Bold.ttf', 'Noto Sans Thai'],
  ['NotoSansDevanagari-Regular.ttf', 'Noto Sans Devanagari'],
  ['NotoSansDevanagari-Bold.ttf', 'Noto Sans Devanagari'],
  ['NotoEmoji-Bold.ttf', 'Noto Emoji'],
];
const EMOJI_FAMILY = 'Noto Emoji';

/** Where operating systems keep a CJK font, most complete first. Skia registers the first face of a collection. */
const OS_CJK_FONTS = [
  // Debian / Ubuntu (fonts-noto-cjk), Fedora, Arch
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc',
  // Windows
  'C:\\Windows\\Fonts\\msyh.ttc',
  'C:\\Windows\\Fonts\\msyhbd.ttc',
  'C:\\Windows\\Fonts\\malgun.ttf',
  'C:\\Windows\\Fonts\\malgunbd.ttf',
  'C:\\Windows\\Fonts\\YuGothM.ttc',
  'C:\\Windows\\Fonts\\YuGothB.ttc',
  // macOS
  '/System/Library/Fonts/PingFang.ttc',
  '/System/Library/Fonts/AppleSDGothicNeo.ttc',
  '/System/Library/Fonts/Hiragino Sans GB.ttc',
];

/** Scripts a font pack this station could add would cover, for the warning's words. */
const PACK_OF_SCRIPT: Record<string, string> = {
  Han: 'cjk',
  Hangul: 'cjk',
  Hiragana: 'cjk',
  Katakana: 'cjk',
  Bopomofo: 'cjk',
};

interface LoadedFont {
  family: string;
  file: string;
  pack: 'core' | 'cjk' | 'extra';
  /** Script-specific CJK faces go first for their language. */
  lang: string | null;
  has(codePoint: number): boolean;
}

export interface BadgeFonts {
  /** For the layout: widths in the real fonts, any size, and what no font here can draw. */
  measure: TextMeasure;
  /** The CSS font shorthand that draws `font` (weight, size in px = dots, the family list for its language). */
  css(font: FontSpec): string;
  /** What was found, for diagnostics and the README's claims. */
  families(): { family: string; pack: string; file: string }[];
}

// GlobalFonts is one table per process: load each set of folders once.
const loaded = new Map<string, BadgeFonts>();

export function loadBadgeFonts(opts: { dirs?: readonly string[]; osFonts?: boolean } = {}): BadgeFonts {
  const key = JSON.stringify([opts.dirs ?? [], opts.osFonts ?? true]);
  let fonts = loaded.get(key);
  if (!fonts) loaded.set(key, (fonts = load(opts.dirs ?? [], opts.osFonts ?? true)));
  return fonts;
}

function load(dirs: readonly string[], osFonts: boolean): BadgeFonts {
  const fonts: LoadedFont[] = [];
  const add = (file: string, pack: LoadedFont['pack'], family?: string): boolean => {
    let font: fontkit.Font | undefined;
    try {
      const opened = fontkit.openSync(file);
      // A collection (.ttc): Skia registers its first face; its character map is the collection's.
      font = 'fonts' in opened ? opened.fonts[0] : opened;
    } catch {
      return false;
    }
    if (!font) return false;
    const name = family ?? font.familyName;
    if (!GlobalFonts.registerFromPath(file, family)) return false;
    const cache = new Map<number, boolean>();
    fonts.push({
      family: name,
      file,
      pack,
      lang: /\b(SC|CN)\b/.test(name)
        ? 'zh-CN'
        : /\b(TC|TW)\b/.test(name)
          ? 'zh-TW'
          : /\bHK\b/.test(name)
            ? 'zh-HK'
            : /\b(JP|Japanese)\b/.test(name)
              ? 'ja'
              : /\b(KR|Korean)\b/.test(name)
                ? 'ko'
                : null,
      has(cp) {
        let v = cache.get(cp);
        if (v === undefined) cache.set(cp, (v = font.hasGlyphForCodePoint(cp)));
        return v;
      },
    });
    return true;
  };

  for (const [file, family] of CORE_FONTS) {
    const path = join(bundledFontsDir, file);
    // The core pack ships with the app: a missing file is a packaging bug, not a badge problem.
    if (!existsSync(path) || !add(path, 'core', family))
      throw new Error(`badge font ${file} is missing or unreadable in ${bundledFontsDir}`);
  }
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) if (/\.(ttf|otf|ttc)$/i.test(f)) add(join(dir, f), 'extra');
  }
  if (osFonts) for (const file of OS_CJK_FONTS) if (existsSync(file)) add(file, 'cjk');
  for (const f of fonts) if (f.pack === 'extra' && [0x6c34, 0xac00].some((cp) => f.has(cp))) f.pack = 'cjk';

  const emoji = fonts.filter((f) => f.family === EMOJI_FAMILY);
  const text = fonts.filter((f) => f.family !== EMOJI_FAMILY);
  const stacks = new Map<string, string>();
  const stack = (lang: string): string => {
    let s = stacks.get(lang);
    if (!s) {
      // Latin and the other core scripts first, then CJK faces for this language ahead of the rest, emoji last.
      const ordered = [
        ...text.filter((f) => f.pack === 'core'),
        ...text.filter((f) => f.pack !== 'core' && f.lang === lang),
        ...text.filter((f) => f.pack !== 'core' && f.lang !== lang),
        ...emoji,
      ];
      s = [...new Set(ordered.map((f) => f.family))].map((f) => `"${f}"`).join(', ');
      stacks.set(lang, s);
    }
    return s;
  };
  const css = (font: FontSpec) => `${font.bold ? 'bold' : 'normal'} ${font.size}px ${stack(font.lang)}`;

  const ctx: SKRSContext2D = createCanvas(8, 8).getContext('2d');
  // Widths are measured once per string at a reference size and scaled: a text's advance grows linearly with the
  // size (no hinting in layout), and fitting tries a dozen sizes per line.
  const REF = 200;
  const widths = new Map<string, number>();
  const width = (text: string, font: FontSpec): number => {
    const key = `${font.bold ? 'b' : 'r'}${font.lang}\u0000${text}`;
    let w = widths.get(key);
    if (w === undefined) {
      const spec = css({ ...font, size: REF });
      if (ctx.font !== spec) ctx.font = spec;
      w = ctx.measureText(text).width;
      if (widths.size > 20_000) widths.clear();
      widths.set(key, w);
    }
    // One dot of slack: scaled advances can round either way.
    return (w * font.size) / REF + 1;
  };

  const missing = (text: string): MissingGlyphs[] => {
    const byScript = new Map<string, string>();
    for (const ch of new Set(text.normalize('NFC'))) {
      const cp = ch.codePointAt(0)!;
      // Spaces, controls, joiners and variation selectors draw nothing of their own.
      if (/[\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}\u{FE00}-\u{FE0F}]/u.test(ch)) continue;
      if (fonts.some((f) => f.has(cp))) continue;
      const script = scriptOf(ch);
      byScript.set(script, (byScript.get(script) ?? '') + ch);
    }
    return [...byScript].map(([script, chars]) => ({ script, fontPack: PACK_OF_SCRIPT[script] ?? null, chars }));
  };

  return {
    measure: {
      width,
      sizes: (max, min) => sizeLadder(max, min),
      lineHeight: (size) => Math.round(size * LINE_EM),
      ascent: (size) => Math.round(size * ASCENT_EM),
      missing,
    },
    css,
    families: () => fonts.map((f) => ({ family: f.family, pack: f.pack, file: f.file })),
  };
}
