import * as z from 'zod';
import { REPORT_REASONS } from '../../db/schema.ts';

const NOTE_TOO_LONG = 'Les précisions font 1 000 caractères au plus.';

export const reportInput = z.object({
  reason: z.enum(REPORT_REASONS, { message: 'Choisissez le motif du signalement.' }),
  note: z.string().max(1000, NOTE_TOO_LONG).optional(),
});

export const unpublishInput = z.object({
  reason: z
    .string({ message: 'Indiquez le motif de la dépublication.' })
    .trim()
    .min(1, 'Indiquez le motif de la dépublication.')
    .max(1000, 'Le motif fait 1 000 caractères au plus.'),
});

export const moderationQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20),
});

export const reportOutput = z.object({
  id: z.number(),
  listingId: z.number(),
  reason: z.enum(REPORT_REASONS),
  note: z.string().nullable(),
  status: z.enum(['open', 'dismissed', 'actioned']),
  createdAt: z.string(),
});

export const reportGroupsOutput = z.object({
  items: z.array(
    z.object({
      listing: z.object({
        id: z.number(),
        title: z.string(),
        status: z.string(),
        organisationName: z.string(),
      }),
      reports: z.array(
        z.object({
          id: z.number(),
          reason: z.enum(REPORT_REASONS),
          note: z.string().nullable(),
          createdAt: z.string(),
          reporter: z.string().nullable(),
        }),
      ),
      history: z.array(
        z.object({
          action: z.string(),
          reason: z.string().nullable(),
          createdAt: z.string(),
          actor: z.string().nullable(),
        }),
      ),
    }),
  ),
  total: z.number(),
  page: z.number(),
  perPage: z.number(),
});
