import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';
import { waveInput, waveOutput } from './waves.ts';

const waveListOutput = z.object({ items: z.array(waveOutput) });

/** The OpenAPI entries of the waves API (joined in api-docs/openapi.ts). */
export const waveOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/ami/waves',
    tag: 'ami',
    summary:
      'The waves of the AMI (public), the latest opening first, with granted and remaining budget (euros)',
    ok: { 200: '{ items: AmiWave[] }' },
    output: waveListOutput,
  },
  {
    method: 'post',
    path: '/api/v1/ami/waves',
    tag: 'ami',
    auth: 'required',
    summary:
      'Admin: create a wave (name, opensAt/closesAt YYYY-MM-DD Paris days inclusive, envelope and per-dossier ceiling in whole euros); waves never overlap (409)',
    body: waveInput,
    ok: { 201: 'AmiWave' },
    output: waveOutput,
    errors: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/ami/waves/{id}',
    tag: 'ami',
    summary: 'One wave (public) with the amount granted to its lauréats and the remaining envelope',
    ok: { 200: 'AmiWave' },
    output: waveOutput,
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/ami/waves/{id}',
    tag: 'ami',
    auth: 'required',
    summary:
      'Admin: change a wave (every field); 409 when it would overlap another wave or the envelope would fall below what is granted',
    body: waveInput,
    ok: { 200: 'AmiWave' },
    output: waveOutput,
    errors: [403, 404, 409, 422],
  },
];
