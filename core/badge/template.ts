/**
 * Badge templates (`lanyard.badge-template/2`, one JSON file per template in assets/badge-templates/): a badge of a
 * fixed length, and an ordered list of blocks that flow top to bottom. Sizes are millimetres on paper, so a template
 * prints the same on a 180, 203 or 300 dpi printer; text sizes are the font's em size. Ticket types name their
 * template (TicketType.badgeTemplate).
 *
 * `start` alignment follows the text: left for left-to-right text, right for Arabic or Hebrew.
 */
import { z } from 'zod';

const Align = z.enum(['start', 'center', 'end']);
const Mm = (min: number, max: number) => z.number().min(min).max(max);
const literal = z.string().trim().min(1).max(60);

/** Optional registrant fields a template may show (the import format's optional fields, core/conference.ts). */
export const RegistrantField = z.union([
  z.enum(['pronouns', 'country', 'accessibility', 'dietary']),
  /** The answer to a custom question of the import (`answers` in the registrant's data), e.g. "answer:tshirt". */
  z
    .string()
    .regex(/^answer:[\w.-]{1,40}$/, 'a field is pronouns, country, accessibility, dietary or answer:<question id>'),
]);
export type RegistrantField = z.infer<typeof RegistrantField>;

export const TemplateBlock = z.discriminatedUnion('type', [
  /**
   * The conference's logo from the conference file with its name beside it (`name: false` for a logo that already
   * spells it), or the name alone when there is no logo.
   */
  z
    .object({
      type: z.literal('header'),
      logoHeightMm: Mm(4, 40).default(10),
      name: z.boolean().default(true),
      sizeMm: Mm(2, 20).default(4.5),
      align: Align.default('center'),
    })
    .strict(),
  /**
   * The name: the preferred (or first) name largest on its own line, the rest of the name smaller beneath it
   * (core/badge/names.ts). Auto-fitted with the real font: one line down to 60% of `sizeMm`, then two, then up to
   * `maxLines` lines down to `minSizeMm`. Nothing else on the badge is printed larger than the big line.
   */
  z
    .object({
      type: z.literal('name'),
      sizeMm: Mm(4, 40).default(16),
      minSizeMm: Mm(2, 20).default(6),
      restSizeMm: Mm(2, 20).default(7),
      maxLines: z.number().int().min(1).max(3).default(3),
      align: Align.default('start'),
    })
    .strict(),
  z
    .object({
      type: z.literal('company'),
      sizeMm: Mm(2, 20).default(5.5),
      minSizeMm: Mm(2, 20).default(3.5),
      maxLines: z.number().int().min(1).max(3).default(2),
      bold: z.boolean().default(false),
      align: Align.default('start'),
    })
    .strict(),
  /** Optional registrant fields on one line, " · " between them; left out when the registrant has none of them. */
  z
    .object({
      type: z.literal('fields'),
      fields: z.array(RegistrantField).min(1).max(8),
      sizeMm: Mm(2, 12).default(4),
      bold: z.boolean().default(false),
      align: Align.default('start'),
    })
    .strict(),
  /**
   * The ticket type's badge label in a band readable at 2 m (`sizeMm` 9 ≈ 6.5 mm capitals), then the conference
   * days in large letters with the days the ticket is not valid on struck out. One-day conferences have no day row.
   */
  z
    .object({
      type: z.literal('ticket'),
      sizeMm: Mm(3, 30).default(9),
      minSizeMm: Mm(2, 20).default(5),
      invert: z.boolean().default(true),
      days: z.boolean().default(true),
      daySizeMm: Mm(3, 20).default(7),
      align: Align.default('center'),
    })
    .strict(),
  /** A fixed word such as SPEAKER or SPONSOR. */
  z
    .object({
      type: z.literal('text'),
      text: literal,
      sizeMm: Mm(2, 30).default(7),
      bold: z.boolean().default(true),
      invert: z.boolean().default(false),
      align: Align.default('center'),
    })
    .strict(),
  /**
   * The sessions still ahead (sessions already over are left off): the registrant's own as speaker or moderator
   * first, then their seats by start time. As many as the badge's length leaves room for, at most `max`, then
   * "+N more".
   */
  z
    .object({
      type: z.literal('sessions'),
      heading: z.string().trim().max(40).default('Your sessions'),
      sizeMm: Mm(2, 10).default(3.6),
      max: z.number().int().min(1).max(12).default(6),
      align: Align.default('start'),
    })
    .strict(),
  /**
   * The signed QR code, `sizeMm` wide with its 4-module quiet zone: a badge code is ~45 modules, so 34 mm gives
   * modules of 0.6 mm, which phone cameras read at arm's length at a door. `side` lists registrant fields printed in
   * the space beside it.
   */
  z
    .object({
      type: z.literal('qr'),
      sizeMm: Mm(15, 80).default(34),
      ecLevel: z.enum(['L', 'M', 'Q', 'H']).default('M'),
      align: Align.default('end'),
      side: z.array(RegistrantField).max(6).default([]),
      sideSizeMm: Mm(2, 8).default(3.6),
    })
    .strict(),
  /** A PNG from assets/badge-templates/ (a sponsor's logo on a sponsor template); a missing file is skipped with a warning. */
  z
    .object({
      type: z.literal('logo'),
      asset: z.string().regex(/^[\w.-]+\.png$/, 'a PNG file name in assets/badge-templates/'),
      heightMm: Mm(4, 60).default(12),
      align: Align.default('center'),
    })
    .strict(),
  z.object({ type: z.literal('rule'), thicknessMm: Mm(0.2, 3).default(0.5) }).strict(),
  /** Blank space; `fill` takes whatever length the other blocks leave (several fills share it). */
  z.object({ type: z.literal('space'), mm: Mm(0, 100).default(2), fill: z.boolean().default(false) }).strict(),
]);
export type TemplateBlock = z.infer<typeof TemplateBlock>;

export const BadgeTemplate = z
  .object({
    format: z.literal('lanyard.badge-template/2'),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    name: z.string().trim().min(1).max(120),
    /**
     * The printed length of every badge of this template on continuous or fanfold stock (label stock: the label's).
     * The printer adds its own head-to-cutter distance (about 10–15 mm on Epson TM printers) as blank paper.
     */
    lengthMm: Mm(40, 300).default(120),
    /** Blank margin at each side and at the top and bottom of the print. */
    marginMm: Mm(0, 15).default(3),
    /**
     * Fold-over badges (for lanyards that let a badge flip): the print is twice as long; the second half repeats the
     * text, name and company blocks upside down, so the folded badge shows the name on both sides.
     */
    foldOver: z.boolean().default(false),
    blocks: z.array(TemplateBlock).min(1).max(40),
  })
  .strict()
  .refine((t) => t.blocks.filter((b) => b.type === 'name').length === 1, {
    message: 'a badge template has exactly one name block',
    path: ['blocks'],
  })
  .refine((t) => t.blocks.filter((b) => b.type === 'qr').length <= 1, {
    message: 'a badge template has at most one QR block',
    path: ['blocks'],
  })
  .refine((t) => t.blocks.every((b) => b.type !== 'name' || b.minSizeMm <= b.sizeMm), {
    message: "the name's minSizeMm is larger than its sizeMm",
    path: ['blocks'],
  });
export type BadgeTemplate = z.infer<typeof BadgeTemplate>;
export type BadgeTemplateInput = z.input<typeof BadgeTemplate>;

/** Used when a ticket type names a template this station does not have. */
export const fallbackTemplate: BadgeTemplate = BadgeTemplate.parse({
  format: 'lanyard.badge-template/2',
  id: 'fallback',
  name: 'Fallback',
  blocks: [
    { type: 'header' },
    { type: 'name' },
    { type: 'company' },
    { type: 'ticket' },
    { type: 'space', fill: true },
    { type: 'qr' },
  ],
});
