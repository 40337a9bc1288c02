/**
 * The PDF récépissé on Workers: the `ptce-hub-pdf` Worker's handler inside workerd (a document in,
 * a PDF out; bad input refused), the fetch-based `pdf` dependency of the main Worker over a stubbed
 * service binding, and the main Worker's receipt route through its `PDF` binding
 * (vitest.workers.config.ts binds it to the same handler).
 */

import { exports } from 'cloudflare:workers';
import { PDFDocument } from '@pdfme/pdf-lib';
import { describe, expect, inject, it } from 'vitest';
import { PDF_SERVICE_UNAVAILABLE, servicePdf } from '../../src/entry/pdf-service.ts';
import pdfWorker from '../../src/entry/pdf-worker.ts';
import { ServiceUnavailable } from '../../src/lib/errors.ts';
import type { PdfDocument } from '../../src/lib/pdf-document.ts';

const ORIGIN = 'https://ptce.example.gouv.fr';

const document: PdfDocument = {
  title: 'Récépissé de dépôt AMI-2026-0001 — AMI PTCE',
  language: 'fr-FR',
  createdAt: '2026-11-22T10:00:00.000Z',
  blocks: [
    { type: 'text', style: 'title', text: 'Récépissé de dépôt' },
    { type: 'rule' },
    { type: 'field', label: 'Référence du dossier', value: 'AMI-2026-0001' },
    { type: 'item', text: 'Régie de quartier « Île » — œuvre' },
  ],
};

const post = (body: string, contentType = 'application/json') =>
  pdfWorker.fetch(
    new Request('https://ptce-hub-pdf.internal/render', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }),
  );

const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

describe('ptce-hub-pdf Worker (workerd)', () => {
  it('answers a posted document with its PDF', async () => {
    const res = await post(JSON.stringify(document));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(latin1(bytes.subarray(0, 5))).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getTitle()).toBe('Récépissé de dépôt AMI-2026-0001 — AMI PTCE');
    expect(pdf.getCreationDate()?.toISOString()).toBe('2026-11-22T10:00:00.000Z');
  });

  it('refuses what is not a document', async () => {
    const bad = await post('{"title": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request' } });

    const invalid = await post(JSON.stringify({ ...document, blocks: [{ type: 'script', text: 'x' }] }));
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ error: { code: 'validation_failed' } });

    const noBlocks = await post(JSON.stringify({ ...document, blocks: [] }));
    expect(noBlocks.status).toBe(422);

    expect((await post(JSON.stringify(document), 'text/plain')).status).toBe(415);
    expect((await post('"x"'.padEnd(3 * 1024 * 1024, ' '))).status).toBe(413);
    const get = await pdfWorker.fetch(new Request('https://ptce-hub-pdf.internal/render'));
    expect(get.status).toBe(405);
  });
});

describe('the pdf dependency over a service binding', () => {
  const logs: Record<string, unknown>[] = [];
  const log = (entry: Record<string, unknown>) => logs.push(entry);

  it('posts the document as JSON and reads the PDF back', async () => {
    let seen: Request | undefined;
    const renderer = servicePdf(
      {
        fetch: async (input, init) => {
          seen = new Request(input, init);
          return pdfWorker.fetch(seen.clone());
        },
      },
      log,
    );
    const bytes = await renderer.render(document);
    expect(latin1(bytes.subarray(0, 5))).toBe('%PDF-');
    expect(seen?.method).toBe('POST');
    expect(await seen?.json()).toEqual(document);
  });

  it('turns a refusal, a wrong type or an unreachable service into ServiceUnavailable, logged', async () => {
    const failures: Array<[string, () => Promise<Response>]> = [
      ['500', async () => new Response('boom', { status: 500 })],
      ['422', async () => Response.json({ error: { code: 'validation_failed' } }, { status: 422 })],
      ['200 but HTML', async () => new Response('<html>', { headers: { 'content-type': 'text/html' } })],
      [
        'thrown',
        async () => {
          throw new Error('Service binding ptce-hub-pdf not found');
        },
      ],
    ];
    for (const [, fetch] of failures) {
      logs.length = 0;
      const failure = servicePdf({ fetch }, log).render(document);
      await expect(failure).rejects.toBeInstanceOf(ServiceUnavailable);
      await expect(failure).rejects.toThrow(PDF_SERVICE_UNAVAILABLE);
      expect(logs).toMatchObject([{ level: 'error', msg: 'pdf service failed' }]);
    }
  });
});

describe('the récépissé through the main Worker', () => {
  it('is drawn by the PDF service binding', async () => {
    const { dossierId, reference, bearer } = inject('receipt');
    const res = await exports.default.fetch(`${ORIGIN}/api/v1/ami/applications/${dossierId}/receipt.pdf`, {
      headers: { authorization: bearer },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(`recepisse-${reference}.pdf`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(latin1(bytes.subarray(0, 5))).toBe('%PDF-');
    expect((await PDFDocument.load(bytes)).getTitle()).toBe(`Récépissé de dépôt ${reference} — AMI PTCE`);
  });
});
