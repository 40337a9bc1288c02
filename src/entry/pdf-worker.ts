/**
 * The `ptce-hub-pdf` Worker (wrangler.pdf.toml): draws a PDF from a {@link PdfDocument} posted as
 * JSON and answers `application/pdf`. It has no public route (`workers_dev = false`, no routes):
 * only the main Worker reaches it, through its `PDF` service binding (src/entry/pdf-service.ts).
 * Living apart keeps the PDF library (about 240 KiB gzip) out of the main Worker's bundle and cold
 * starts (decision 021). Errors are JSON `{error:{code,message}}` like the app's API.
 */
import { pdfDocumentSchema } from '../lib/pdf-document.ts';
import { renderPdf } from './pdf-renderer.ts';

/** A document of 2,000 long blocks stays far below; anything larger is not ours. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

const error = (status: number, code: string, message: string, fields?: Record<string, string>) =>
  Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status });

/** POST a PdfDocument as JSON → 200 application/pdf; 400 bad JSON, 422 invalid document, 413, 415, 405. */
export async function handlePdfRequest(request: Request): Promise<Response> {
  if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
  if (!(request.headers.get('content-type') ?? '').startsWith('application/json'))
    return error(415, 'unsupported_media_type', 'Le corps doit être un document JSON.');
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES)
    return error(413, 'payload_too_large', 'Le document dépasse 2 Mo.');
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES)
    return error(413, 'payload_too_large', 'Le document dépasse 2 Mo.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return error(400, 'bad_request', 'Le corps n’est pas du JSON valide.');
  }
  const parsed = pdfDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || '(document)'] ??= issue.message;
    return error(422, 'validation_failed', 'Le document est invalide.', fields);
  }
  const pdf = await renderPdf(parsed.data);
  return new Response(pdf as Uint8Array<ArrayBuffer>, {
    headers: { 'content-type': 'application/pdf', 'content-length': String(pdf.length) },
  });
}

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      return await handlePdfRequest(request);
    } catch (thrown) {
      // The caller turns any non-2xx into a 503 for the visitor; the cause is logged here.
      console.log(
        JSON.stringify({
          level: 'error',
          msg: 'pdf rendering failed',
          error: thrown instanceof Error ? thrown.message : String(thrown),
        }),
      );
      return error(500, 'internal_error', 'Le document PDF n’a pas pu être produit.');
    }
  },
};
