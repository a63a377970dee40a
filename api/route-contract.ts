import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, Handler } from 'hono';
import type { z } from 'zod';
import { parseWith, readBody } from './errors';
import type { AppEnv } from './env';
import { errorBodySchema } from './response-schemas';

/** A group of routes with their OpenAPI definitions; mounted into the app like any Hono app. */
export type Router = OpenAPIHono<AppEnv>;
export const newRouter = (): Router => new OpenAPIHono<AppEnv>();

/**
 * Serves `definition` with `handler` and records the definition for the OpenAPI document: the one place a
 * route's method, path, parameters, body and responses are written. The handler validates its own input
 * (readRouteBody, readRouteQuery) with the definition's schemas, after it has checked the key's right and
 * found the object the path names: a key without the right gets 403, another district's object 404,
 * whatever the body. (OpenAPIHono.openapi() would validate before the handler runs, and answer 415 itself.)
 */
export function defineRoute<R extends RouteConfig>(router: Router, definition: R, handler: Handler<AppEnv>): R {
  const route = createRoute(definition);
  router.openAPIRegistry.registerPath(route);
  router.on(definition.method.toUpperCase(), route.getRoutingPath(), handler);
  return definition;
}

export const jsonContent = <S extends z.ZodType>(schema: S) => ({ 'application/json': { schema } });

/** A response with a JSON body. */
export const json = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: jsonContent(schema) });

/** An error response: the one error shape; the description names its codes. */
export const problem = (description: string) => json(description, errorBodySchema);

/** A required JSON body, its schema named in the document's components (e.g. `ImportBody`). */
export const jsonBody = <S extends z.ZodType>(schema: S, name: string) => ({ required: true, content: jsonContent(schema.meta({ id: name })) });

type WithBody<S extends z.ZodType> = { request: { body: { content: { 'application/json': { schema: S } } } } };
type WithQuery<S extends z.ZodType> = { request: { query: S } };

/** The body, validated by the schema the route documents (400 MALFORMED_JSON, 422 VALIDATION_FAILED). */
export const readRouteBody = <S extends z.ZodType>(c: Context<AppEnv>, route: WithBody<S>): Promise<z.infer<S>> =>
  readBody(c, route.request.body.content['application/json'].schema);

/** The query string, validated by the schema the route documents (422 VALIDATION_FAILED). */
export const readRouteQuery = <S extends z.ZodType>(c: Context<AppEnv>, route: WithQuery<S>): z.infer<S> => parseWith(route.request.query, c.req.query());

/** 429 with the seconds to wait in Retry-After. */
export const rateLimited = (description: string) => ({
  ...problem(description),
  headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const, minimum: 1 } } },
});
