import type { Operation } from '../api-docs/operation.ts';
import { amiPatchInput } from './dossier.ts';
import { amiApplicationOutput, amiEventsOutput, amiSubmitOutput } from './output.ts';
import { amiCreateInput, amiSubmitInput } from './schemas.ts';

/** The OpenAPI entries of the applicant's dossier routes (joined in api-docs/openapi.ts). */
export const amiApplicantOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/ami/applications',
    tag: 'ami',
    auth: 'required',
    summary:
      'Create a draft dossier for one of my organisations (owner or editor), with any fields; région and département copied from it',
    body: amiCreateInput,
    ok: { 201: 'Draft created (`status: "draft"`, `version`)' },
    output: amiApplicationOutput,
    errors: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications/{id}',
    tag: 'ami',
    auth: 'required',
    summary:
      'A dossier: to the members of its lead organisation, and to staff in scope once submitted (never notes nor scores)',
    ok: { 200: 'Dossier, with its completeness by section (`missing`)' },
    output: amiApplicationOutput,
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/ami/applications/{id}',
    tag: 'ami',
    auth: 'required',
    summary:
      'Save any fields of the sections I may edit now (all in a draft, the reopened ones under changes_requested) at `version`; `members` replaces the list',
    body: amiPatchInput,
    ok: { 200: 'Dossier saved (version + 1)' },
    output: amiApplicationOutput,
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/ami/applications/{id}/submit',
    tag: 'ami',
    auth: 'required',
    summary:
      'Submit a draft (reference AMI-YYYY-NNNN, receipt email) or resubmit after a request for changes; 422 names every missing or failing field',
    body: amiSubmitInput,
    ok: { 200: 'Submitted (`status: "submitted"`) or back under review' },
    output: amiSubmitOutput,
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/ami/applications/{id}/events',
    tag: 'ami',
    auth: 'required',
    summary: 'The audit trail in order (public events only for the applicant)',
    ok: { 200: 'Events' },
    output: amiEventsOutput,
    errors: [401, 404],
  },
];
