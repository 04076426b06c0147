import { z } from 'zod';
import { attestBody, blindAnswerBody, blindKeyCheckBody, createCollaborationBody, createPartyBody, errorBody, keyCreated, partyCreated, partySummary, previewBody, privacyBudget, reviewBody, runBody, runPreview, uploadResult, verifyResult } from './schemas.js';

interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  auth?: 'none' | 'party' | 'operator' | 'any';
  body?: z.ZodType;
  bodyType?: string;
  response?: z.ZodType;
  responseType?: string;
  /** The success status, when not 200 (GET, DELETE) or 201 (POST, PUT). */
  status?: string;
}

const ROUTES: readonly RouteDoc[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness', auth: 'none' },
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: 'none' },
  { method: 'get', path: '/v1/me', summary: 'Who the key belongs to: a party (id, name, key id) or the operator', auth: 'any' },
  { method: 'post', path: '/v1/parties', summary: 'Create a party; its API key is shown once', auth: 'operator', body: createPartyBody, response: partyCreated },
  { method: 'get', path: '/v1/parties', summary: 'List parties (ids and names; key states for the operator)', auth: 'any', response: z.object({ parties: z.array(partySummary) }) },
  { method: 'post', path: '/v1/parties/{id}/keys', summary: 'Issue a new API key for a party, shown once', auth: 'operator', response: keyCreated },
  { method: 'delete', path: '/v1/parties/{id}/keys/{keyId}', summary: 'Revoke an API key', auth: 'operator' },
  { method: 'get', path: '/v1/templates', summary: 'The ready templates with the parameter schema of each analysis', auth: 'any' },
  { method: 'get', path: '/v1/templates/{name}', summary: 'One ready template', auth: 'any' },
  { method: 'post', path: '/v1/collaborations', summary: 'Create a collaboration from a ready template', auth: 'party', body: createCollaborationBody },
  { method: 'get', path: '/v1/collaborations', summary: "The caller's collaborations", auth: 'party' },
  { method: 'get', path: '/v1/collaborations/{id}', summary: 'One collaboration (with encryptedAtRest: its room and stored files sealed)', auth: 'party' },
  { method: 'delete', path: '/v1/collaborations/{id}', summary: 'Delete a collaboration for good: its keys first (crypto-shredding: backups become unreadable), then its room, records, ledger, audit log and exchange', auth: 'operator', status: '204' },
  { method: 'get', path: '/v1/collaborations/{id}/identity', summary: "The identity layer outside the analyses: usage counts of its graph for the identity partner; for a member, its own people the graph could not bridge (behind the minimum-people rule). Never match counts", auth: 'party' },
  { method: 'post', path: '/v1/collaborations/{id}/attestations', summary: 'Accept the data-use terms of this exact template', auth: 'party', body: attestBody },
  { method: 'get', path: '/v1/collaborations/{id}/datasets/{name}/template.csv', summary: "A dataset's CSV header template", auth: 'party', responseType: 'text/csv' },
  { method: 'put', path: '/v1/collaborations/{id}/datasets/{name}', summary: 'Upload the next version of a dataset (prepared CSV; Content-Encoding: gzip accepted). Double-blind: with header x-cleanroom-key-check, 202 awaiting the other party\'s blinding', auth: 'party', bodyType: 'text/csv', response: uploadResult },
  { method: 'get', path: '/v1/collaborations/{id}/blind', summary: "Double-blind: what awaits the caller's second blinding, and its own uploads awaiting the other party", auth: 'party' },
  { method: 'put', path: '/v1/collaborations/{id}/blind/key-check', summary: "Double-blind: register the key check of the caller's blind key (idempotent; another key is refused)", auth: 'party', body: blindKeyCheckBody, status: '200' },
  { method: 'get', path: '/v1/collaborations/{id}/blind/{dataset}/{upload}/{index}', summary: "Double-blind: one batch of the other party's singly blinded values, for the upload's blinder only (the same content on every fetch)", auth: 'party' },
  { method: 'put', path: '/v1/collaborations/{id}/blind/{dataset}/{upload}/{index}', summary: 'Double-blind: the answer to one batch (every element times the blind key); the last one loads the upload', auth: 'party', body: blindAnswerBody, status: '200' },
  { method: 'post', path: '/v1/collaborations/{id}/runs', summary: 'Run an allowed analysis (under DP: charged to the budget before release, refused with 403 `refused` when the budget cannot pay; an identical earlier release is returned at no cost, with cachedFrom)', auth: 'party', body: runBody },
  { method: 'post', path: '/v1/collaborations/{id}/runs/preview', summary: 'What a run would do, without running or charging it: cached or not, cost, allowed, what would remain', auth: 'party', body: previewBody, response: runPreview, status: '200' },
  { method: 'get', path: '/v1/collaborations/{id}/budget', summary: "The privacy budget: policy, what remains for the collaboration and the caller's party, each analysis's cost", auth: 'party', response: privacyBudget },
  { method: 'get', path: '/v1/collaborations/{id}/runs', summary: 'Summaries (no results) of the runs the caller made, receives or reviews, newest first', auth: 'party' },
  { method: 'get', path: '/v1/collaborations/{id}/runs/{runId}', summary: 'A run (result for receivers only)', auth: 'party' },
  { method: 'post', path: '/v1/collaborations/{id}/runs/{runId}/review', summary: 'Approve or reject a pending run', auth: 'party', body: reviewBody, status: '200' },
  { method: 'get', path: '/v1/collaborations/{id}/runs/{runId}/audience.csv', summary: 'The activation audience, for its owner', auth: 'party', responseType: 'text/csv' },
  { method: 'get', path: '/v1/collaborations/{id}/audit', summary: 'The audit events of a collaboration', auth: 'party' },
  { method: 'get', path: '/v1/collaborations/{id}/audit/verify', summary: 'Verify the audit hash chain', auth: 'party', response: verifyResult },
  { method: 'get', path: '/v1/metrics', summary: 'Operator metrics: collaborations, runs, refusals, suppressions, match rates', auth: 'operator' },
];

/**
 * The OpenAPI 3.1 document of the API, built from the same zod schemas the routes
 * validate with.
 *
 * @example
 * ```ts
 * openApiDocument().paths['/v1/parties'].post.summary;
 * ```
 */
export function openApiDocument(): Record<string, unknown> & { paths: Record<string, Record<string, unknown>> } {
  const paths: Record<string, Record<string, unknown>> = {};
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  for (const route of ROUTES) {
    const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const content = route.response !== undefined ? { 'application/json': { schema: schema(route.response) } } : route.responseType !== undefined ? { [route.responseType]: { schema: { type: 'string' } } } : { 'application/json': { schema: { type: 'object' } } };
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      ...(route.auth === 'none' ? { security: [] } : {}),
      ...(route.auth === 'operator' ? { description: 'Operator key only.' } : route.auth === 'party' ? { description: 'Party keys only; the operator key gets 403.' } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body !== undefined ? { requestBody: { required: true, content: { 'application/json': { schema: schema(route.body) } } } } : {}),
      ...(route.bodyType !== undefined ? { requestBody: { required: true, content: { [route.bodyType]: { schema: { type: 'string' } } } } } : {}),
      responses: {
        [route.status ?? (route.method === 'post' || route.method === 'put' ? '201' : '200')]: { description: 'OK', content },
        default: { description: 'An error', content: { 'application/json': { schema: schema(errorBody) } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'cleanroom', version: '0.1.0', description: 'A self-hostable data clean room. Errors are {"error": {code, message, details}}.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'crk_<keyId>_<secret>' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
