import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './http-error.js';

/**
 * Reads and validates a JSON body: `too_large` past `maxBytes`, `invalid_input` when it is
 * not JSON, `invalid_argument` with every problem (`details.problems`) when the schema
 * refuses it.
 *
 * @example
 * ```ts
 * const body = await readJson(c, createPartyBody, 1 << 20);
 * ```
 */
export async function readJson<T extends z.ZodType>(c: Context, schema: T, maxBytes: number): Promise<z.output<T>> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new ApiError('too_large', `Cannot accept the body: it is ${declared} bytes, more than ${maxBytes}`, { limit: maxBytes });
  const text = await readBounded(c.req.raw.body, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_input', 'Cannot read the body as JSON: it is not valid JSON', { field: 'body' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new ApiError('invalid_argument', `Cannot accept the body: ${problems.map((p) => `${p.path || '(body)'}: ${p.message}`).join('; ')}`, { problems });
  }
  return parsed.data;
}

/** Reads a body as UTF-8, stopping as soon as it passes `maxBytes` (a chunked body declares no length). */
async function readBounded(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ApiError('too_large', `Cannot accept the body: it is more than ${maxBytes} bytes`, { limit: maxBytes });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
