import * as z from 'zod';

/**
 * A printable document as plain, serialisable data: metadata and a list of blocks drawn top-down
 * (texts in a few styles, « label : value » fields, bullet items, rules). Features say WHAT a PDF
 * shows (the AMI récépissé: `features/ami/receipt.ts`); the `pdf` dependency (`PdfRenderer` in
 * context.ts) draws it — in-process on Node, in the `ptce-hub-pdf` Worker behind a service binding
 * on Workers, whose request body is this type as JSON, checked by {@link pdfDocumentSchema}.
 * See docs/decisions/021-ami-files.md.
 */

const line = (max: number) => z.string().max(max);

/** At most this many blocks (a 60-member consortium is about 80). */
export const MAX_PDF_BLOCKS = 2_000;

export const pdfBlockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    /** overline: small bold caps line above the title; title; heading; body; small (notes). */
    style: z.enum(['overline', 'title', 'heading', 'body', 'small']),
    text: line(10_000),
  }),
  /** « label : value » on one block. */
  z.object({ type: z.literal('field'), label: line(200), value: line(10_000) }),
  /** A bullet item. */
  z.object({ type: z.literal('item'), text: line(10_000) }),
  /** A horizontal rule between parts. */
  z.object({ type: z.literal('rule') }),
]);

export const pdfDocumentSchema = z.object({
  /** Metadata: title, subject, author, language (BCP 47) and creation time (ISO 8601, UTC). */
  title: z.string().min(1).max(500),
  subject: line(1_000).optional(),
  author: line(200).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(?:-[A-Z]{2})?$/)
    .optional(),
  createdAt: z.iso.datetime(),
  blocks: z.array(pdfBlockSchema).min(1).max(MAX_PDF_BLOCKS),
});

export type PdfBlock = z.infer<typeof pdfBlockSchema>;
export type PdfDocument = z.infer<typeof pdfDocumentSchema>;
