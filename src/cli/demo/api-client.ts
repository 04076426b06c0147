import { CleanRoomError } from '../../core/errors.js';

/**
 * The few HTTP calls the demo seeding makes, as any client would: JSON in and out, bearer
 * keys, errors turned into CleanRoomErrors with the server's message.
 *
 * @example
 * ```ts
 * const api = demoApi('http://127.0.0.1:8080');
 * const party = await api.post<{ id: string; apiKey: string }>(operatorKey, '/v1/parties', { name: 'Acme' });
 * ```
 */
export function demoApi(base: string) {
  const call = async <T>(key: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) {
      const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      throw new CleanRoomError('internal', `Cannot ${method} ${path}: ${response.status} ${message}`);
    }
    return JSON.parse(text) as T;
  };
  return {
    post: <T>(key: string, path: string, body: unknown) => call<T>(key, 'POST', path, body),
    get: <T>(key: string, path: string) => call<T>(key, 'GET', path),
    putCsv: <T>(key: string, path: string, csv: Uint8Array) => call<T>(key, 'PUT', path, csv, 'text/csv'),
  };
}
