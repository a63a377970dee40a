/** How a page reaches the API: the app's own fetch, in-process, so every rule of the API applies as it would to a script. */
export type ApiFetch = (request: Request) => Response | Promise<Response>;

export interface ApiErrorBody {
  code: string;
  message: string;
  details: { field?: string; message: string }[];
}

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiErrorBody };

/** The API as one signed-in admin's key sees it. */
export interface ApiClient {
  call<T = any>(method: string, path: string, body?: unknown): Promise<ApiResult<T>>;
  /** The response itself, e.g. a CSV report to stream on to the browser. */
  raw(method: string, path: string, headers?: Record<string, string>): Promise<Response>;
}

export function apiClient(fetch: ApiFetch, key: string): ApiClient {
  const raw = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(new Request(`http://in-process${path}`, { method, headers: { authorization: `Bearer ${key}`, ...headers }, body }));
  return {
    raw,
    async call(method, path, body) {
      const res = await raw(method, path, body === undefined ? {} : { 'content-type': 'application/json' }, body === undefined ? undefined : JSON.stringify(body));
      const text = await res.text();
      const parsed: unknown = text ? JSON.parse(text) : null;
      if (res.ok) return { ok: true, status: res.status, body: parsed as never };
      const error = (parsed as { error?: ApiErrorBody } | null)?.error ?? { code: 'HTTP_' + res.status, message: `The API answered ${res.status}.`, details: [] };
      return { ok: false, status: res.status, error };
    },
  };
}

/** The API's validation details by field name, for placing each beside its form field. */
export function errorsByField(error: ApiErrorBody | undefined): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const d of error?.details ?? []) {
    if (d.field && !(d.field in byField)) byField[d.field] = d.message;
  }
  return byField;
}
