import { z } from 'zod';

/** Bodies and answers of the API; routes validate with them and /openapi.json is built from them. */
export const createPartyBody = z.strictObject({ name: z.string().trim().min(1).max(200) });

/** The one answer that carries an API key, shown once. */
export const partyCreated = z.object({ id: z.string(), name: z.string(), apiKey: z.string(), keyId: z.string() });

export const partySummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string().optional(),
  keys: z.array(z.object({ id: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })).optional(),
});

export const keyCreated = z.object({ partyId: z.string(), keyId: z.string(), apiKey: z.string() });

export const createCollaborationBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  template: z.string().min(1).max(100).describe('the name of a ready template (GET /v1/templates)'),
  members: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).describe('role -> party id'),
});

export const attestBody = z.strictObject({
  termsVersion: z.string().min(1).max(100),
  templateDigest: z.string().min(1).max(200),
});

export const runBody = z.strictObject({
  analysis: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const reviewBody = z.strictObject({ decision: z.enum(['approved', 'rejected']) });

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const uploadResult = z.object({
  dataset: z.string(),
  version: z.number(),
  report: z.record(z.string(), z.unknown()),
});

export const verifyResult = z.object({ ok: z.boolean() }).passthrough();
