import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** What JSON.stringify makes of a value the handler answers with: a Date becomes its ISO text. */
type Json<T> = T extends Date ? string : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** The JSON body schema a route documents for a status. */
type BodySchema<R, S> = R extends { responses: infer Responses }
  ? S extends keyof Responses
    ? Responses[S] extends { content: { 'application/json': { schema: infer Schema extends z.ZodType } } }
      ? Schema
      : never
    : never
  : never;

/**
 * Answers `status` with `body`, which must be what the route documents for that status: a handler
 * that answers another shape does not compile.
 */
export function reply<R extends { responses: object }, S extends keyof R['responses'] & ContentfulStatusCode, B>(
  c: Context,
  _route: R,
  status: S,
  body: B & (Json<B> extends z.output<BodySchema<R, S>> ? unknown : never),
) {
  return c.json(body as never, status);
}
