import * as z from 'zod';

export const communeSearchQuery = z.object({
  q: z.string().max(100, 'La recherche est limitée à 100 caractères.').default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** Form name of a commune field: letters only, so it is safe in ids and selectors. */
export const suggestionQuery = z.object({
  champ: z
    .string()
    .regex(/^[a-zA-Z]{1,40}$/)
    .default('commune'),
});
