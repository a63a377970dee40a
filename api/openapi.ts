import { z } from 'zod';
import { eligibilityMappingSchema } from '../kinds/eligibility/mapping';
import { districtBody, importBody, importPatch, keyBody, studentsBody } from './schemas';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object' } } },
    },
  },
};

const errors = {
  '400': { description: 'Malformed JSON (`MALFORMED_JSON`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Missing or unknown API key', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '403': { description: 'The key lacks a right (`RIGHT_REQUIRED`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: 'Not found, or another district’s object', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '422': { description: 'Validation failed; details name the field', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};

const json = (description: string, body?: object) => ({ description, content: { 'application/json': { schema: body ?? { type: 'object' } } } });
const bodyOf = (ref: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

function op(summary: string, right: string | null, extra: Record<string, unknown>, ok: Record<string, unknown>) {
  return {
    summary,
    description: right ? `Needs the right \`${right}\`. The platform admin key names the district in \`X-District-Id\`.` : undefined,
    ...extra,
    responses: { ...ok, ...errors },
  };
}

export function buildOpenApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Scheduled Imports API',
      version: '0.1.0',
      description: 'District admins define imports, test connections, run and dry-run imports, and read reports. Errors: `{"error": {"code", "message", "details"}}`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: errorSchema,
        DistrictBody: schema(districtBody),
        KeyBody: schema(keyBody),
        StudentsBody: schema(studentsBody),
        MappingBody: schema(eligibilityMappingSchema),
        ImportBody: schema(importBody),
        ImportPatch: schema(importPatch),
      },
    },
    paths: {
      '/api/health': { get: { summary: 'Health of the database and Temporal', security: [], responses: { '200': json('Healthy'), '503': json('A dependency is down') } } },
      '/api/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': json('OpenAPI 3.1') } } },
      '/api/districts': { post: op('Create a district (platform admin)', null, { requestBody: bodyOf('DistrictBody') }, { '201': json('The district') }) },
      '/api/districts/{id}/keys': {
        post: op('Create an API key (shown once)', 'keys.manage', { parameters: [idParam('id')], requestBody: bodyOf('KeyBody') }, { '201': json('`{id, name, key, rights}`') }),
      },
      '/api/students': { put: op('Upsert up to 10,000 students', 'imports.write', { requestBody: bodyOf('StudentsBody') }, { '200': json('`{upserted}`') }) },
      '/api/students/{studentNumber}': { get: op('A student with eligibility records', 'imports.read', { parameters: [idParam('studentNumber')] }, { '200': json('The student') }) },
      '/api/mappings': {
        post: op('Create an eligibility mapping', 'imports.write', { requestBody: bodyOf('MappingBody') }, { '201': json('The mapping') }),
        get: op('List mappings', 'imports.read', {}, { '200': json('Mappings') }),
      },
      '/api/mappings/{id}': { get: op('One mapping', 'imports.read', { parameters: [idParam('id')] }, { '200': json('The mapping') }) },
      '/api/imports': {
        post: op('Create an import (and its Temporal Schedule); secrets are write-only', 'imports.write', { requestBody: bodyOf('ImportBody') }, {
          '201': json('The import, with `passwordSet` etc. instead of secrets'),
          '409': json('`IMPORT_NAME_TAKEN`'),
          '503': json('`SCHEDULER_UNAVAILABLE`: Temporal refused the schedule; nothing was saved'),
        }),
        get: op('List imports', 'imports.read', {}, { '200': json('Imports') }),
      },
      '/api/imports/{id}': {
        get: op('One import', 'imports.read', { parameters: [idParam('id')] }, { '200': json('The import') }),
        patch: op('Change an import (e.g. pin a fingerprint); updates, pauses or removes its schedule', 'imports.write', { parameters: [idParam('id')], requestBody: bodyOf('ImportPatch') }, {
          '200': json('The import'),
          '503': json('`SCHEDULER_UNAVAILABLE`'),
        }),
        delete: op('Delete an import and its schedule', 'imports.write', { parameters: [idParam('id')] }, { '204': { description: 'Deleted' }, '503': json('`SCHEDULER_UNAVAILABLE`') }),
      },
      '/api/imports/{id}/test-connection': {
        post: op('Connect, check trust and list the directory', 'imports.run', { parameters: [idParam('id')] }, { '200': json('`{ok: true, latencyMs, files, fingerprint}` or `{ok: false, error: {code, message, fingerprint}}`') }),
      },
      '/api/imports/{id}/test': { post: op('Start a dry run (works when inactive)', 'imports.run', { parameters: [idParam('id')] }, { '202': json('`{runId, workflowId}`') }) },
      '/api/imports/{id}/run': {
        post: op('Start a run', 'imports.run', { parameters: [idParam('id')] }, { '202': json('`{runId, workflowId}`'), '409': json('`IMPORT_INACTIVE` or `RUN_IN_PROGRESS`') }),
      },
      '/api/runs': {
        get: op('Runs, newest first', 'reports.read', { parameters: [{ name: 'importId', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } }] }, { '200': json('Runs') }),
      },
      '/api/runs/{runId}': { get: op('One run with files, progress, summary and error', 'reports.read', { parameters: [idParam('runId')] }, { '200': json('The run') }) },
      '/api/runs/{runId}/report': {
        get: op('The report; `Accept: text/csv` for CSV', 'reports.read', { parameters: [idParam('runId')] }, {
          '200': { description: "`{runId, mode, status, summary, records, problems}`; the summary's keys, the records' fields and the CSV columns are those of the run's kind (eligibility: API.md)", content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } } },
        }),
      },
    },
  };
}
