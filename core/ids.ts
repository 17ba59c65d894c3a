import { z } from 'zod';

/** Ids are opaque strings chosen by whoever created the thing (HQ, an import, a station's UUIDv7). */
export const Id = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'is too long (128 characters at most)')
  .regex(/^[\w.:@-]+$/, 'may contain only letters, digits and . _ : @ -');
export type Id = z.infer<typeof Id>;

export const IsoTime = z.iso.datetime({ offset: true });
export const StationId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes (40 at most)');
export const Origin = z.union([z.literal('hq'), z.string().regex(/^station:[a-z0-9][a-z0-9-]{0,39}$/)]);
