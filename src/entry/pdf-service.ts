/**
 * The `pdf` dependency of the Workers entry: the `ptce-hub-pdf` Worker (src/entry/pdf-worker.ts)
 * reached through the `PDF` service binding of wrangler.toml, so the PDF library stays out of the
 * main Worker's bundle (decision 021). A refusal or an unreachable service is a 503 for the
 * visitor (`ServiceUnavailable`, its cause logged), never a 500.
 */
import type { LogSink, PdfRenderer } from '../lib/context.ts';
import { ServiceUnavailable } from '../lib/errors.ts';
import type { PdfDocument } from '../lib/pdf-document.ts';

/** What a service binding offers (`env.PDF`): a fetch to the other Worker, never over the Internet. */
export interface ServiceBinding {
  fetch(input: string | Request | URL, init?: RequestInit): Promise<Response>;
}

/** The message of the 503: the PDF cannot be drawn now. */
export const PDF_SERVICE_UNAVAILABLE =
  'Le document PDF ne peut pas être produit pour le moment : réessayez dans quelques minutes.';

/** The PDF renderer over a service binding: POST the document as JSON, read back application/pdf. */
export function servicePdf(binding: ServiceBinding, log: LogSink): PdfRenderer {
  const fail = (detail: Record<string, unknown>): never => {
    log({ level: 'error', msg: 'pdf service failed', ...detail });
    throw new ServiceUnavailable(PDF_SERVICE_UNAVAILABLE);
  };
  return {
    async render(document: PdfDocument) {
      let response: Response;
      try {
        // The host is a placeholder: a service binding delivers the request to the bound Worker.
        response = await binding.fetch('https://ptce-hub-pdf.internal/render', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(document),
        });
      } catch (error) {
        return fail({ error: error instanceof Error ? error.message : String(error) });
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!response.ok || !contentType.startsWith('application/pdf')) {
        const body = (await response.text().catch(() => '')).slice(0, 500);
        return fail({ status: response.status, contentType, body });
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
