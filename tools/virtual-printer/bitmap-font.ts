/**
 * A tiny built-in bitmap font, for the virtual printer's pictures of text it was sent in the printer's own font (text
 * mode; badges print as rasters by default). Honest and simple: 5×7 glyphs for printable ASCII in a 6×10 cell,
 * accents drawn as a few dots above (or a hook below) the base letter, anything else as an outlined box. It is for looking at, not for reading back:
 * decoded text comes from the printer commands, never from these pixels.
 */
import { fillRect, type Bitmap } from '../../core/badge/bitmap';

// 95 glyphs (U+0020..U+007E), 7 rows each, one hex byte per row, bit 4 = leftmost column.
const GLYPHS =
  '00000000000000040404040400040A0A0A000000000A0A1F0A1F0A0A040F140E051E04181902040813030C12140815120D0C040800000000' +
  '02040808080402080402020204080004150E1504000004041F040400000000000C04080000001F00000000000000000C0C00010204081000' +
  '0E11131519110E040C040404040E0E11010204081F1F02040201110E02060A121F02021F101E0101110E0608101E11110E1F010204080808' +
  '0E11110E11110E0E11110F01020C000C0C000C0C00000C0C000C04080204081008040200001F001F0000080402010204080E110102040004' +
  '0E11010D15150E0E1111111F11111E11111E11111E0E11101010110E1C12111111121C1F10101E10101F1F10101E1010100E11101711110F' +
  '1111111F1111110E04040404040E0702020202120C111214181412111010101010101F111B1515111111111119151311110E11111111110E' +
  '1E11111E1010100E11111115120D1E11111E1412110F10100E01011E1F0404040404041111111111110E11111111110A041111111515150A' +
  '11110A040A11111111110A0404041F01020408101F0E08080808080E001008040201000E02020202020E040A11000000000000000000001F' +
  '0804020000000000000E010F110F1010161911111E00000E1010110E01010D1311110F00000E111F100E0609081C080808000F11110F010E' +
  '1010161911111104000C0404040E0200060202120C101012141814120C04040404040E00001A151511110000161911111100000E1111110E' +
  '00001E111E101000000D130F01010000161910101000000E100E011E08081C080809060000111111130D00001111110A040000111115150A' +
  '0000110A040A11000011110F010E00001F0204081F02040408040402040404040404040804040204040800000815020000';

export const CELL_W = 6;
export const CELL_H = 10;

// Marks drawn as dots in the 6×10 cell; [x, y] pairs. Rows 0-1 are above the glyph, row 9 below it.
const MARKS: Record<string, [number, number][]> = {
  '\u0300': [
    [1, 0],
    [2, 1],
  ], // grave
  '\u0301': [
    [3, 0],
    [2, 1],
  ], // acute
  '\u0302': [
    [2, 0],
    [1, 1],
    [3, 1],
  ], // circumflex
  '\u0303': [
    [1, 1],
    [2, 0],
    [3, 1],
    [4, 0],
  ], // tilde
  '\u0304': [
    [1, 1],
    [2, 1],
    [3, 1],
  ], // macron
  '\u0306': [
    [1, 0],
    [2, 1],
    [3, 0],
  ], // breve
  '\u0307': [[2, 1]], // dot above
  '\u0308': [
    [1, 1],
    [3, 1],
  ], // diaeresis
  '\u030a': [
    [2, 0],
    [1, 1],
    [3, 1],
  ], // ring
  '\u030b': [
    [2, 0],
    [4, 0],
    [1, 1],
    [3, 1],
  ], // double acute
  '\u030c': [
    [1, 0],
    [3, 0],
    [2, 1],
  ], // caron
  '\u0327': [
    [2, 9],
    [3, 9],
  ], // cedilla
  '\u0328': [
    [3, 9],
    [4, 9],
  ], // ogonek
};

// Letters that do not decompose: a base glyph plus a stroke.
const STROKED: Record<string, [string, [number, number][]]> = {
  Ł: [
    'L',
    [
      [1, 5],
      [2, 4],
    ],
  ],
  ł: [
    'l',
    [
      [1, 6],
      [3, 4],
    ],
  ],
  Ø: [
    'O',
    [
      [0, 8],
      [4, 2],
    ],
  ],
  ø: [
    'o',
    [
      [0, 8],
      [4, 4],
    ],
  ],
  Đ: [
    'D',
    [
      [0, 5],
      [2, 5],
    ],
  ],
  đ: [
    'd',
    [
      [3, 2],
      [5, 2],
    ],
  ],
  ß: ['B', []],
  Æ: ['A', []],
  æ: ['a', []],
  Œ: ['O', []],
  œ: ['o', []],
  ı: ['i', []],
};

function baseRows(ch: string): number[] | null {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code > 0x7e) return null;
  const off = (code - 0x20) * 14;
  const rows: number[] = [];
  for (let r = 0; r < 7; r++) rows.push(parseInt(GLYPHS.slice(off + r * 2, off + r * 2 + 2), 16));
  return rows;
}

/** The 6×10 cell of one character as 10 rows of 6 bits (bit 5 = leftmost). */
export function glyphRows(ch: string): number[] {
  const cell = new Array<number>(CELL_H).fill(0);
  const put = (x: number, y: number) => {
    if (x >= 0 && x < CELL_W && y >= 0 && y < CELL_H) cell[y]! |= 1 << (CELL_W - 1 - x);
  };
  const drawBase = (rows: number[]) => rows.forEach((r, i) => (cell[i + 2] = r << 1));
  const stroked = STROKED[ch];
  if (stroked) {
    drawBase(baseRows(stroked[0])!);
    for (const [x, y] of stroked[1]) put(x, y);
    return cell;
  }
  const [base = '', ...marks] = Array.from(ch.normalize('NFD'));
  const rows = baseRows(base);
  if (!rows || marks.some((m) => !MARKS[m])) {
    if (ch === ' ') return cell;
    for (let y = 2; y <= 8; y++) {
      put(0, y);
      put(4, y);
    }
    for (let x = 0; x <= 4; x++) {
      put(x, 2);
      put(x, 8);
    }
    return cell;
  }
  drawBase(rows);
  for (const m of marks) for (const [x, y] of MARKS[m]!) put(x, y);
  return cell;
}

const glyphCache = new Map<string, number[]>();

/**
 * Draws `text` with its top-left at (x, y), each font pixel becoming sx × sy dots; one character takes
 * CELL_W × sx dots. Returns the width drawn.
 */
export function drawText(
  bmp: Bitmap,
  x: number,
  y: number,
  text: string,
  sx: number,
  sy: number,
  bold = false,
  ink = 1,
): number {
  let cx = x;
  for (const ch of Array.from(text.normalize('NFC'))) {
    let rows = glyphCache.get(ch);
    if (!rows) glyphCache.set(ch, (rows = glyphRows(ch)));
    for (let r = 0; r < CELL_H; r++) {
      const bits = rows[r]!;
      if (bits === 0) continue;
      for (let c = 0; c < CELL_W; c++) {
        if (!(bits & (1 << (CELL_W - 1 - c)))) continue;
        fillRect(bmp, cx + c * sx, y + r * sy, sx + (bold ? Math.max(1, sx >> 1) : 0), sy, ink);
      }
    }
    cx += CELL_W * sx;
  }
  return cx - x;
}
