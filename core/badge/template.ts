/**
 * Badge templates (`lanyard.badge-template/1`, one JSON file per template in assets/badge-templates/): an ordered
 * list of blocks that flow top to bottom. Ticket types name their template (TicketType.badgeTemplate).
 */
import { z } from 'zod';

const Align = z.enum(['left', 'center']).default('center');
const Scale = z.number().int().min(1).max(8);
const literal = z.string().trim().min(1).max(60);

export const TemplateBlock = z.discriminatedUnion('type', [
  /** First and last name, auto-fitted: the largest scale at which it wraps into maxLines without cutting a word. */
  z.object({ type: z.literal('name'), scales: z.array(Scale).min(1).max(8).default([4, 3, 2, 1]), maxLines: z.number().int().min(1).max(4).default(2), align: Align, bold: z.boolean().default(true) }).strict(),
  z.object({ type: z.literal('company'), scales: z.array(Scale).min(1).max(8).default([2, 1]), maxLines: z.number().int().min(1).max(3).default(1), align: Align, bold: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('ticketType'), scale: Scale.default(1), align: Align, bold: z.boolean().default(true), invert: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('conference'), scale: Scale.default(1), align: Align, bold: z.boolean().default(false) }).strict(),
  /** A fixed word such as SPEAKER or SPONSOR. */
  z.object({ type: z.literal('text'), text: literal, scale: Scale.default(2), align: Align, bold: z.boolean().default(true), invert: z.boolean().default(false) }).strict(),
  /** The sessions the registrant holds a seat in (time and title), at most `max`, then "+N more". */
  z.object({ type: z.literal('sessions'), heading: z.string().trim().max(40).default('Your sessions'), max: z.number().int().min(1).max(12).default(4), align: z.enum(['left', 'center']).default('left') }).strict(),
  /** The signed QR code. `moduleDots` is the module size at 203 dpi; a quiet zone of 4 modules is always added. */
  z.object({ type: z.literal('qr'), moduleDots: z.number().int().min(2).max(10).default(4), ecLevel: z.enum(['L', 'M', 'Q', 'H']).default('M'), align: Align }).strict(),
  /** A 1-bit-friendly PNG from assets/badge-templates/, optional: a missing file is skipped with a warning. */
  z.object({ type: z.literal('logo'), asset: z.string().regex(/^[\w.-]+\.png$/, 'a PNG file name in assets/badge-templates/'), align: Align }).strict(),
  z.object({ type: z.literal('rule') }).strict(),
  z.object({ type: z.literal('space'), lines: z.number().min(0.25).max(8).default(1) }).strict(),
]);
export type TemplateBlock = z.infer<typeof TemplateBlock>;

export const BadgeTemplate = z
  .object({
    format: z.literal('lanyard.badge-template/1'),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    name: z.string().trim().min(1).max(120),
    blocks: z.array(TemplateBlock).min(1).max(40),
  })
  .strict()
  .refine((t) => t.blocks.filter((b) => b.type === 'name').length === 1, { message: 'a badge template has exactly one name block', path: ['blocks'] })
  .refine((t) => t.blocks.filter((b) => b.type === 'qr').length <= 1, { message: 'a badge template has at most one QR block', path: ['blocks'] });
export type BadgeTemplate = z.infer<typeof BadgeTemplate>;

/** Used when a ticket type names a template this station does not have. */
export const fallbackTemplate: BadgeTemplate = BadgeTemplate.parse({
  format: 'lanyard.badge-template/1',
  id: 'fallback',
  name: 'Fallback',
  blocks: [{ type: 'name' }, { type: 'company' }, { type: 'ticketType' }, { type: 'qr' }],
});
