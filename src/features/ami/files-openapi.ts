import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';
import { ATTACHMENT_TYPES, type AttachmentType } from './attachment-files.ts';
import { messageInput } from './messages.ts';

export const attachmentOutput = z
  .object({
    id: z.number().int(),
    name: z
      .string()
      .meta({ description: 'Display name (cleaned; ends with the extension of the real type)' }),
    type: z.enum(Object.keys(ATTACHMENT_TYPES) as [AttachmentType, ...AttachmentType[]]),
    size: z.number().int().meta({ description: 'Bytes' }),
  })
  .meta({ id: 'AmiAttachment' });

export const messageOutput = z
  .object({
    id: z.number().int(),
    authorName: z.string(),
    fromStaff: z.boolean(),
    body: z.string(),
    createdAt: z.string().meta({ format: 'date-time' }),
    attachments: z.array(attachmentOutput),
  })
  .meta({ id: 'AmiMessage' });

const attachmentUploadInput = z.object({
  file: z.string().meta({
    format: 'binary',
    description: 'PDF, ODT, DOCX or XLSX, 10 MB at most (type read from the content, never the name)',
  }),
});

/** The OpenAPI entries of the AMI files, messages and récépissé (joined in api-docs/openapi.ts). */
export const amiFileOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/ami/applications/{id}/attachments',
    tag: 'ami',
    auth: 'required',
    summary:
      'Add a piece to a dossier (section « pièces jointes »; multipart/form-data, field `file`; 20 per dossier) while the section is editable',
    body: attachmentUploadInput,
    bodyType: 'multipart/form-data',
    ok: { 201: 'Piece added' },
    output: attachmentOutput,
    errors: [403, 404, 409, 413, 422, 503],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications/{id}/attachments/{attachmentId}',
    tag: 'ami',
    auth: 'required',
    summary:
      'Download a file of a dossier (a piece or a message’s): members of the lead organisation and staff in scope',
    ok: { 200: 'The file (Content-Disposition: attachment)' },
    outputFile: 'application/octet-stream',
    errors: [404],
  },
  {
    method: 'delete',
    path: '/api/v1/ami/applications/{id}/attachments/{attachmentId}',
    tag: 'ami',
    auth: 'required',
    summary: 'Remove a piece of a dossier while the section is editable (messages’ files stay)',
    ok: { 204: 'Removed' },
    errors: [403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications/{id}/messages',
    tag: 'ami',
    auth: 'required',
    summary: 'Messages between the applicant and staff, oldest first',
    ok: { 200: 'The messages' },
    output: z.object({ items: z.array(messageOutput) }),
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/ami/applications/{id}/messages',
    tag: 'ami',
    auth: 'required',
    summary:
      'Write to the other side (applicant once submitted, or staff in scope). JSON `{body}`; to attach a file, send multipart/form-data with `body` and `file` instead. Staff messages are emailed to the lead organisation’s members',
    body: messageInput,
    ok: { 201: 'Message posted' },
    output: messageOutput,
    errors: [400, 403, 404, 409, 413, 422, 429, 503],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications/{id}/receipt.pdf',
    tag: 'ami',
    auth: 'required',
    summary:
      'The PDF récépissé of a submitted dossier (reference, date and time, lead organisation, members…)',
    ok: { 200: 'The PDF' },
    outputFile: 'application/pdf',
    errors: [404, 409],
  },
];
