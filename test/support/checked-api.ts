import { buildOpenApiDocument } from '../../api/openapi';
import { documentedPath, openApiValidator } from './openapi-validator';
import type { ApiResponse, CallApi } from './system';

export interface ContractBreach {
  request: string;
  status: number;
  problem: string;
}

/**
 * The API as `call` answers it, with each answer checked against the OpenAPI document: the route and
 * status are documented, and the body is valid by the schema of that status and media type.
 * Breaches are collected, not thrown, so a test can name them all at once.
 */
export function checkedApi(call: CallApi): { call: CallApi; breaches: ContractBreach[]; checked: () => number } {
  const document = buildOpenApiDocument();
  const validator = openApiValidator(document);
  const breaches: ContractBreach[] = [];
  let checked = 0;
  const checkedCall: CallApi = async (method, path, options) => {
    const response: ApiResponse = await call(method, path, options);
    checked++;
    const problem = breachOf(method, path, response);
    if (problem) breaches.push({ request: `${method} ${path}`, status: response.status, problem });
    return response;
  };

  function breachOf(method: string, path: string, response: ApiResponse): string | undefined {
    const pattern = documentedPath(document, method, path);
    if (!pattern) return 'the route is not documented';
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (response.status === 204) return response.text === '' ? undefined : 'a 204 with a body';
    const validate = validator.response(method, pattern, response.status, mediaType);
    if (!validate) return `${response.status} ${mediaType} is not documented for ${method} ${pattern}`;
    return validate(response.body) ? undefined : validator.errorsOf(validate);
  }

  return { call: checkedCall, breaches, checked: () => checked };
}
