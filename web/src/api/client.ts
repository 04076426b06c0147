import { ApiError } from './api-error.js';

/** The HTTP API as the UI uses it: JSON in and out, the party's key on every call. */
export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** PUT of a file body (the prepared CSV). */
  put<T>(path: string, body: Blob | Uint8Array<ArrayBuffer>, contentType: string, headers?: Record<string, string>): Promise<T>;
  /** PUT of a JSON body. */
  putJson<T>(path: string, body: unknown): Promise<T>;
  /** GET of a text body (CSV templates and audiences). */
  text(path: string): Promise<string>;
}

/**
 * A client for the cleanroom API at `base` (same origin by default), sending
 * `Authorization: Bearer <key>`; non-2xx answers throw an {@link ApiError} with the
 * server's code and message.
 *
 * @example
 * ```ts
 * const api = createApi('crk_live_…');
 * const collaborations = await api.get<unknown>('/v1/collaborations');
 * ```
 */
export function createApi(key: string, base = ''): Api {
  const call = async (method: string, path: string, body?: BodyInit, contentType?: string, extra: Record<string, string> = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...extra, authorization: `Bearer ${key}`, accept: 'application/json' };
    if (contentType !== undefined) headers['content-type'] = contentType;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (error) {
      throw new ApiError(0, 'network', `Cannot reach the server: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  };
  const json = async <T>(response: Response): Promise<T> => {
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  return {
    get: async (path) => json(await call('GET', path)),
    post: async (path, body) => json(await call('POST', path, JSON.stringify(body ?? {}), 'application/json')),
    delete: async (path) => json(await call('DELETE', path)),
    put: async (path, body, contentType, headers) => json(await call('PUT', path, body, contentType, headers)),
    putJson: async (path, body) => json(await call('PUT', path, JSON.stringify(body), 'application/json')),
    text: async (path) => (await call('GET', path)).text(),
  };
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (body.error?.message !== undefined) return new ApiError(response.status, body.error.code ?? 'error', body.error.message, body.error.details ?? {});
  } catch {
    // Not the API's JSON error shape: a proxy or a crash; say what came back.
  }
  return new ApiError(response.status, 'http', `The server answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
}
