import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/** Every error the API returns has this one shape. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** Sent as the Retry-After header (seconds): when trying again can succeed. */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} was not found.`);

export function validationError(error: z.ZodError): ApiError {
  const details = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : undefined,
    message: issue.message,
  }));
  const first = details[0];
  const message = first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'The request is not valid.';
  return new ApiError(422, 'VALIDATION_FAILED', message, details);
}

export function errorResponse(c: Context, error: ApiError) {
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json({ error: { code: error.code, message: error.message, details: error.details } }, error.status);
}

/**
 * A fixed sentence, at most with a position: V8's message quotes the body, which may hold secrets or row data.
 * For the same reason the SyntaxError is not kept as the cause.
 */
function malformedJson(error: unknown): ApiError {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  const where = position === undefined ? '' : ` (at character ${position})`;
  return new ApiError(400, 'MALFORMED_JSON', `The request body is not valid JSON${where}.`);
}

/**
 * Where a string holding NUL sits in a parsed body ('' for the body itself): PostgreSQL text cannot store
 * one. Walked with a stack of its own, so a deeply nested body cannot overflow the call stack.
 */
const MAX_PATH_KEYS = 20;

function pathOfNul(body: unknown): string | undefined {
  type Place = { key: string; parent?: Place };
  const pathOf = (place: Place | undefined): string => {
    const keys: string[] = [];
    for (let p = place; p; p = p.parent) keys.unshift(p.key);
    // a path as deep as a hostile body is named by its first fields
    return keys.length > MAX_PATH_KEYS ? `${keys.slice(0, MAX_PATH_KEYS).join('.')}.…` : keys.join('.');
  };
  const pending: { value: unknown; place?: Place }[] = [{ value: body }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, place } = item;
    if (typeof value === 'string' && value.includes('\u0000')) return pathOf(place);
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return pathOf({ key, parent: place });
      pending.push({ value: child, place: { key, parent: place } });
    }
  }
  return undefined;
}

/** Parses the JSON body and validates it; 400 for malformed JSON, 422 with field details otherwise. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (error) {
    throw malformedJson(error);
  }
  if (value === undefined) throw new ApiError(400, 'MALFORMED_JSON', 'The request body is empty; a JSON body is required.');
  const nul = pathOfNul(value);
  if (nul !== undefined) throw new ApiError(422, 'VALIDATION_FAILED', `${nul || 'body'}: must not contain a NUL character.`, [{ field: nul || undefined, message: 'must not contain a NUL character' }]);
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
