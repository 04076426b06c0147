import type { BlindAnswerResult, BlindStatus } from '../../../src/core/ingest/blind-upload.js';
import type { BlindBatch, BlindedBatch } from '../../../src/core/identity/blind/exchange/blind-batch.js';
import { paramsJsonSchema } from '../../../src/core/template/params-schema.js';
import { ApiError } from './api-error.js';
import type { Api } from './client.js';
import type { AuditEvent, BudgetView, ChainVerification, Collaboration, Identity, PartySummary, Run, RunPreview, Template, UploadAnswer } from './types.js';
import { listOf, objectOf } from './unwrap.js';

const enc = encodeURIComponent;

/** One ready template and the JSON Schema of each analysis's parameters. */
export interface TemplateInfo {
  template: Template;
  paramsSchemas: Record<string, Record<string, unknown>>;
}

/**
 * A template as the API sends it, with parameter schemas: the server's when it sends them
 * (`paramsJsonSchema` per analysis), else derived from the template by the same core
 * function the server uses (a collaboration carries its template without them).
 *
 * @example
 * ```ts
 * templateInfo(await api.get('/v1/templates/audience-overlap')).paramsSchemas.overlap;
 * ```
 */
export function templateInfo(body: unknown): TemplateInfo {
  const outer = body as { template?: Template; paramsJsonSchema?: Record<string, Record<string, unknown>>; paramsSchemas?: Record<string, Record<string, unknown>> } & Template;
  const template = outer.template !== undefined && typeof outer.template === 'object' ? outer.template : (outer as Template);
  const paramsSchemas: Record<string, Record<string, unknown>> = {};
  for (const [name, analysis] of Object.entries(template.analyses ?? {})) {
    const sent = outer.paramsJsonSchema?.[name] ?? outer.paramsSchemas?.[name] ?? (analysis as { paramsSchema?: Record<string, unknown> }).paramsSchema;
    paramsSchemas[name] = sent ?? paramsJsonSchema(analysis);
  }
  return { template, paramsSchemas };
}

/**
 * Every API call the UI makes, each to DESIGN.md's route, answers unwrapped to core's
 * shapes.
 *
 * @example
 * ```ts
 * const room = resources(createApi(key));
 * const collaborations = await room.collaborations();
 * ```
 */
export function resources(api: Api) {
  const collab = (id: string): string => `/v1/collaborations/${enc(id)}`;
  return {
    async identity(): Promise<Identity> {
      try {
        const me = objectOf<{ id?: string; name?: string; party?: string; role?: string; kind?: string }>(await api.get('/v1/me'), 'party');
        if (me.kind === 'operator' || me.role === 'operator' || me.id === 'operator') return { kind: 'operator' };
        return { kind: 'party', id: me.id ?? me.party ?? null, name: me.name ?? null };
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
      }
      // No /v1/me: only the operator may read the metrics.
      try {
        await api.get('/v1/metrics');
        return { kind: 'operator' };
      } catch (error) {
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
          // A party learns its own id from a collaboration it is in (the server sends `roles`).
          const joined = listOf<Collaboration & { roles?: string[] }>(await api.get('/v1/collaborations'), 'collaborations');
          const role = joined.find((c) => (c.roles?.length ?? 0) > 0);
          const id = role === undefined ? null : (role.members[role.roles![0]!] ?? null);
          if (id === null) return { kind: 'party', id: null, name: null };
          const parties = listOf<PartySummary>(await api.get('/v1/parties').catch(() => []), 'parties');
          return { kind: 'party', id, name: parties.find((p) => p.id === id)?.name ?? null };
        }
        throw error;
      }
    },
    templates: async (): Promise<TemplateInfo[]> => listOf<unknown>(await api.get('/v1/templates'), 'templates').map(templateInfo),
    template: async (name: string): Promise<TemplateInfo> => templateInfo(objectOf(await api.get(`/v1/templates/${enc(name)}`), 'template')),
    collaborations: async (): Promise<Collaboration[]> => listOf<Collaboration>(await api.get('/v1/collaborations'), 'collaborations'),
    collaboration: async (id: string): Promise<Collaboration> => objectOf<Collaboration>(await api.get(collab(id)), 'collaboration'),
    createCollaboration: async (input: { name: string; template: string; members: Record<string, string> }): Promise<Collaboration> =>
      objectOf<Collaboration>(await api.post('/v1/collaborations', input), 'collaboration'),
    attest: async (id: string, input: { termsVersion: string; templateDigest: string }): Promise<Collaboration> =>
      objectOf<Collaboration>(await api.post(`${collab(id)}/attestations`, input), 'collaboration'),
    datasetTemplateCsv: (id: string, dataset: string): Promise<string> => api.text(`${collab(id)}/datasets/${enc(dataset)}/template.csv`),
    // Sent as bytes, not as the Blob: a byte body is what the browser's network tools show, so
    // a party can inspect exactly what left its machine.
    upload: async (id: string, dataset: string, prepared: Blob, keyCheck?: string): Promise<UploadAnswer> =>
      api.put(`${collab(id)}/datasets/${enc(dataset)}`, new Uint8Array(await prepared.arrayBuffer()), 'text/csv', keyCheck === undefined ? undefined : { 'x-cleanroom-key-check': keyCheck }),
    // The double-blind exchange (docs/double-blind.md).
    blindStatus: (id: string): Promise<BlindStatus> => api.get<BlindStatus>(`${collab(id)}/blind`),
    registerBlindKey: (id: string, keyCheck: string): Promise<unknown> => api.putJson(`${collab(id)}/blind/key-check`, { keyCheck }),
    blindBatch: (id: string, dataset: string, upload: number, index: number): Promise<BlindBatch> => api.get<BlindBatch>(`${collab(id)}/blind/${enc(dataset)}/${upload}/${index}`),
    answerBlindBatch: (id: string, dataset: string, upload: number, index: number, answer: BlindedBatch): Promise<BlindAnswerResult> =>
      api.putJson<BlindAnswerResult>(`${collab(id)}/blind/${enc(dataset)}/${upload}/${index}`, answer),
    runs: async (id: string): Promise<Run[]> => listOf<Run>(await api.get(`${collab(id)}/runs`), 'runs'),
    startRun: async (id: string, input: { analysis: string; params: Record<string, unknown> }): Promise<Run> => objectOf<Run>(await api.post(`${collab(id)}/runs`, input), 'run'),
    previewRun: async (id: string, input: { analysis: string; params: Record<string, unknown> }): Promise<RunPreview> => objectOf<RunPreview>(await api.post(`${collab(id)}/runs/preview`, input), 'preview'),
    // Sent bare: its own `budget` field is the (ε, δ) total, so it is never unwrapped.
    budget: (id: string): Promise<BudgetView> => api.get<BudgetView>(`${collab(id)}/budget`),
    run: async (id: string, runId: string): Promise<Run> => objectOf<Run>(await api.get(`${collab(id)}/runs/${enc(runId)}`), 'run'),
    review: async (id: string, runId: string, decision: 'approved' | 'rejected'): Promise<Run> => objectOf<Run>(await api.post(`${collab(id)}/runs/${enc(runId)}/review`, { decision }), 'run'),
    audienceCsv: (id: string, runId: string): Promise<string> => api.text(`${collab(id)}/runs/${enc(runId)}/audience.csv`),
    audit: async (id: string): Promise<AuditEvent[]> => listOf<AuditEvent>(await api.get(`${collab(id)}/audit`), 'events'),
    verifyAudit: async (id: string): Promise<ChainVerification> => objectOf<ChainVerification>(await api.get(`${collab(id)}/audit/verify`), 'verification'),
    metrics: (): Promise<Record<string, unknown>> => api.get('/v1/metrics'),
    parties: async (): Promise<PartySummary[]> => listOf<PartySummary>(await api.get('/v1/parties'), 'parties'),
    createParty: (name: string): Promise<PartySummary & { apiKey: string }> => api.post('/v1/parties', { name }),
    issueKey: (party: string): Promise<{ partyId: string; keyId: string; apiKey: string }> => api.post(`/v1/parties/${enc(party)}/keys`),
    revokeKey: (party: string, keyId: string): Promise<{ revokedAt: string }> => api.delete(`/v1/parties/${enc(party)}/keys/${enc(keyId)}`),
  };
}

/** The API calls, as {@link resources} returns them. */
export type Resources = ReturnType<typeof resources>;
