import { z } from 'zod';
import { eligibilityMappingSchema } from '../kinds/eligibility/mapping';
import { DEFAULT_BODY_LIMIT, LARGER_BODY_LIMITS } from './body-limit';
import { MAX_CURSOR_LENGTH } from './report-cursor';
import { batchBody, DEFAULT_REPORT_PAGE, districtBody, importBody, importPatch, keyBody, MAX_BATCH_LEAD_DAYS, MAX_KEY_LIFETIME_DAYS, MAX_REPORT_PAGE, orderBody, orderStudentBody, schoolBody, studentsBody } from './schemas';

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

function rateLimited(description: string) {
  return {
    description,
    headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

const startRefused = rateLimited(
  'The key sent more than its requests a minute, or the district already has `MAX_CONCURRENT_RUNS_PER_DISTRICT` runs queued or running (`RATE_LIMITED`, `details[0].limit`: `requestsPerMinute` or `concurrentRunsPerDistrict`)',
);

const errors = {
  '400': { description: 'Malformed JSON (`MALFORMED_JSON`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Missing, unknown, revoked or expired API key', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '403': { description: 'The key lacks a right (`RIGHT_REQUIRED`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: 'Not found, or another district’s object', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '413': { description: 'The body is over the route’s limit (`BODY_TOO_LARGE`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '422': { description: 'Validation failed; details name the field', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '429': rateLimited('The key sent more than its requests a minute (`RATE_LIMITED`, `details[0].limit`: `requestsPerMinute`)'),
};

const reportPageSchema = {
  type: 'object',
  required: ['runId', 'mode', 'status', 'summary', 'records', 'problems', 'next'],
  properties: {
    runId: { type: 'string' },
    mode: { type: 'string', enum: ['test', 'run'] },
    status: { type: 'string' },
    summary: { type: 'object', additionalProperties: { type: 'integer' } },
    records: { type: 'array', items: { type: 'object', required: ['file', 'line'], properties: { file: { type: 'string' }, line: { type: 'integer' } } } },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'line', 'severity', 'code', 'message'],
        properties: { file: { type: ['string', 'null'] }, line: { type: ['integer', 'null'] }, severity: { enum: ['error', 'warning'] }, code: { type: 'string' }, message: { type: 'string' } },
      },
    },
    next: { type: ['string', 'null'], description: 'Pass as `cursor` for the following page; null on the last page' },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string, body?: object) => ({ description, content: { 'application/json': { schema: body ?? { type: 'object' } } } });
const bodyOf = (ref: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

const problemSchema = {
  type: 'object',
  properties: {
    file: { type: ['string', 'null'] },
    line: { type: ['integer', 'null'], description: 'null for a problem about a whole file (e.g. `HEADER_MISMATCH`, `MISSING_COLUMN`; a file the run could not read or rename: `FILE_NOT_READABLE`, `FILE_VANISHED`, `FILE_NOT_RENAMED`, `UNSAFE_FILE_NAME`)' },
    severity: { enum: ['error', 'warning'] },
    code: { type: 'string' },
    message: { type: 'string' },
  },
};
const counts = (keys: string[]) => ({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer' }])), required: keys });
const reportOf = (summary: string[], record: Record<string, object>) => ({
  type: 'object',
  properties: {
    runId: { type: 'string' },
    mode: { enum: ['test', 'run'] },
    status: { type: 'string' },
    summary: counts(summary),
    records: { type: 'array', items: { type: 'object', properties: { file: { type: 'string' }, line: { type: 'integer' }, ...record } } },
    problems: { type: 'array', items: { $ref: '#/components/schemas/Problem' } },
  },
});
const nullableString = { type: ['string', 'null'] };

const eligibilityReport = reportOf(['new', 'updated', 'ended', 'removed', 'existing', 'errors', 'warnings'], {
  name: { type: 'string', description: '"Last, First"' },
  studentNumber: { type: 'string' },
  schoolYear: { type: 'integer' },
  startDate: { type: 'string' },
  endDate: nullableString,
  eligibility: { enum: ['F', 'R', 'S'] },
  certifiedType: { type: 'string' },
  applicationName: nullableString,
  referenceNumber: nullableString,
  status: { enum: ['New', 'Updated', 'Ended', 'Removed', 'Existing'] },
});

const rosterReport = reportOf(['added', 'updated', 'activated', 'deactivated', 'errors'], {
  studentNumber: { type: 'string' },
  name: { type: 'string', description: '"Last, First", from the row' },
  statusCode: { enum: ['A', 'D', 'X', 'I'], description: "the row's status (`IGNORE` reads as `I`)" },
  outcome: { enum: ['added', 'activated', 'deactivated', 'updated'], description: 'what happened; each applied row counts once in the summary by it' },
  orderBefore: { ...nullableString, description: 'the order the student was associated with; null when it was absent from the roster' },
  orderAfter: { type: 'string', description: 'the order it is associated with now' },
});

const afterRunSchema = {
  type: ['object', 'null'],
  description:
    'What followed a real run (null for a dry run, and until the step has run): `errorFile` written into the import\'s directory (students kind, when rows failed), how the e-mail to `notify.emails` went (`none`: no addresses, or no file and no failure to tell; `logged`: no `SMTP_URL`, so it is in the worker log), and what failed (`ERROR_FILE_NOT_WRITTEN`, `EMAIL_NOT_SENT`). The run\'s status never changes because of it.',
  properties: {
    errorFile: nullableString,
    email: { enum: ['none', 'sent', 'logged', 'failed'] },
    problems: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
  },
};

function op(summary: string, right: string | null, extra: Record<string, unknown>, ok: Record<string, unknown>) {
  return {
    summary,
    description: right ? `Needs the right \`${right}\`. The platform admin key names the district in \`X-District-Id\`.` : undefined,
    ...extra,
    // an operation may describe a status more precisely than the shared errors do
    responses: { ...errors, ...ok },
  };
}

export function buildOpenApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Scheduled Imports API',
      version: '0.1.0',
      description: [
        'District admins define imports, test connections, run and dry-run imports, and read reports. Errors: `{"error": {"code", "message", "details"}}`.',
        `Bodies are limited to ${DEFAULT_BODY_LIMIT / 2 ** 20} MB (${Object.entries(LARGER_BODY_LIMITS).map(([route, bytes]) => `\`${route}\` ${bytes / 2 ** 20} MB`).join(', ')}): 413 \`BODY_TOO_LARGE\`.`,
        'State changes (refused ones too) and reads of student data or reports are written to the audit log first; when that fails they answer 503 `AUDIT_UNAVAILABLE` and do nothing.',
        'Each key may send a burst of requests and then a number a minute; over that every route answers 429 `RATE_LIMITED` with `Retry-After` (seconds).',
      ].join(' '),
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: errorSchema,
        Problem: problemSchema,
        EligibilityReport: eligibilityReport,
        RosterReport: rosterReport,
        AfterRun: afterRunSchema,
        DistrictBody: schema(districtBody),
        KeyBody: schema(keyBody),
        StudentsBody: schema(studentsBody),
        MappingBody: schema(eligibilityMappingSchema),
        ImportBody: schema(importBody),
        ImportPatch: schema(importPatch),
        SchoolBody: schema(schoolBody),
        OrderBody: schema(orderBody),
        OrderStudentBody: schema(orderStudentBody),
        BatchBody: schema(batchBody),
      },
    },
    paths: {
      '/api/health': { get: { summary: 'Health of the database and Temporal', security: [], responses: { '200': json('Healthy'), '503': json('A dependency is down') } } },
      '/api/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': json('OpenAPI 3.1') } } },
      '/api/districts': { post: op('Create a district (platform admin)', null, { requestBody: bodyOf('DistrictBody') }, { '201': json('The district') }) },
      '/api/districts/{id}/keys': {
        post: op(`Create an API key (shown once); \`expiresAt\` at most ${MAX_KEY_LIFETIME_DAYS} days ahead, and no later than the calling key's own`, 'keys.manage', { parameters: [idParam('id')], requestBody: bodyOf('KeyBody') }, {
          '201': json('`{id, name, key, rights, expiresAt}`'),
        }),
        get: op('The district’s API keys, revoked ones too; never the key or its hash', 'keys.manage', { parameters: [idParam('id')] }, {
          '200': json('`[{id, name, rights, createdAt, lastUsedAt, expiresAt, revokedAt}]`; `lastUsedAt` is updated at most once a minute'),
        }),
      },
      '/api/districts/{id}/keys/{keyId}': {
        delete: op('Revoke an API key (any key of the district, the calling key too): it answers 401 from then on', 'keys.manage', { parameters: [idParam('id'), idParam('keyId')] }, {
          '204': { description: 'Revoked (again: still 204); the key stays listed with `revokedAt`' },
        }),
      },
      '/api/audit-log': {
        get: op(
          'The district’s audit log, newest first',
          'keys.manage',
          {
            parameters: [
              { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
              { name: 'before', in: 'query', description: 'The `id` of the last entry of the previous page', schema: { type: 'string', pattern: '^[1-9][0-9]{0,17}$' } },
            ],
          },
          { '200': json('`[{id, at, keyId, districtId, method, route, objectId, status}]`; `keyId` null for the platform admin, `status` null while the request runs') },
        ),
      },
      '/api/students': { put: op('Upsert up to 10,000 students', 'imports.write', { requestBody: bodyOf('StudentsBody') }, { '200': json('`{upserted}`') }) },
      '/api/students/{studentNumber}': {
        get: op('A student with eligibility records and roster fields', 'imports.read', { parameters: [idParam('studentNumber')] }, {
          '200': json('The student, with `schoolCode, grade, dateOfBirth, username, status ("active"|"deactivated"|null), orderId` (null for a student only eligibility knows)'),
        }),
      },
      '/api/schools': {
        post: op('Create a school of the district (roster kind)', 'imports.write', { requestBody: bodyOf('SchoolBody') }, { '201': json('`{code, name}`'), '409': json('`SCHOOL_CODE_TAKEN`') }),
        get: op('List schools', 'imports.read', {}, { '200': json('`[{code, name}]`') }),
      },
      '/api/orders': {
        post: op('Create a licence order: the one enterprise order (no school; its free licences are the holding bin) or a regular order of a school', 'imports.write', { requestBody: bodyOf('OrderBody') }, {
          '201': json('`{id, kind, schoolCode, purchased, held, free}`'),
          '409': json('`ENTERPRISE_ORDER_EXISTS`'),
        }),
        get: op('List orders, the enterprise order first', 'imports.read', {}, { '200': json('`[{id, kind, schoolCode, purchased, held, free}]`') }),
      },
      '/api/orders/{id}/students': {
        post: op('Associate an existing student with the order; an active one takes one of its licences and gives back the one it held', 'imports.write', { parameters: [idParam('id')], requestBody: bodyOf('OrderStudentBody') }, {
          '200': json('`{studentNumber, status, orderId, order: {id, kind, schoolCode, purchased, held, free}}`'),
          '409': json('`MISSING_LICENSES`: the order has no free licence'),
        }),
      },
      '/api/mappings': {
        post: op('Create an eligibility mapping', 'imports.write', { requestBody: bodyOf('MappingBody') }, { '201': json('The mapping') }),
        get: op('List mappings', 'imports.read', {}, { '200': json('Mappings') }),
      },
      '/api/mappings/{id}': { get: op('One mapping', 'imports.read', { parameters: [idParam('id')] }, { '200': json('The mapping') }) },
      '/api/imports': {
        post: op('Create an import (and its Temporal Schedule); secrets are write-only. `kind: "eligibility"` needs a `mappingId`; `kind: "students"` takes none (422 when given)', 'imports.write', { requestBody: bodyOf('ImportBody') }, {
          '201': json('The import, with `passwordSet` etc. instead of secrets'),
          '409': json('`IMPORT_NAME_TAKEN`'),
          '422': errorResponse(
            'Validation failed (`VALIDATION_FAILED`, details name the field), or `HOST_NOT_ALLOWED`: `connection.host` is, or resolves to, a link-local, cloud metadata or (where the deployment does not allow it) loopback address. A host that does not resolve yet is saved.',
          ),
          '503': json('`SCHEDULER_UNAVAILABLE`: Temporal refused the schedule; nothing was saved'),
        }),
        get: op('List imports', 'imports.read', {}, { '200': json('Imports (without `nextRuns` and `lastRun`: the list asks Temporal nothing)') }),
      },
      '/api/imports/{id}': {
        get: op('One import, when its schedule runs next and how its newest run went', 'imports.read', { parameters: [idParam('id')] }, {
          '200': json(
            'The import, plus `nextRuns`: the next 5 instants its schedule starts a run, as Temporal computes them (ISO, UTC; `[]` when the import has no schedule or is inactive; `null` with a `nextRunsNote` when Temporal does not answer within 3 s), and `lastRun`: `{id, status, finishedAt}` of its newest run, or `null`',
          ),
        }),
        patch: op('Change an import (e.g. pin a fingerprint); updates, pauses or removes its schedule', 'imports.write', { parameters: [idParam('id')], requestBody: bodyOf('ImportPatch') }, {
          '200': json('The import'),
          '422': errorResponse(
            'Validation failed; or `CREDENTIALS_REQUIRED`: the PATCH changes `protocol`, `host`, `port` (also through a new protocol or FTPS mode), `username` or `domain` without a `password` or `privateKey` (details name the secret field(s) needed, then the changed fields; with one, no old secret and no old `trust` pin survive unless the PATCH sets `trust`); or `HOST_NOT_ALLOWED` for a new `connection.host`.',
          ),
          '503': json('`SCHEDULER_UNAVAILABLE`'),
        }),
        delete: op('Delete an import and its schedule', 'imports.write', { parameters: [idParam('id')] }, { '204': { description: 'Deleted' }, '503': json('`SCHEDULER_UNAVAILABLE`') }),
      },
      '/api/imports/{id}/test-connection': {
        post: op('Connect, check trust and list the directory', 'imports.run', { parameters: [idParam('id')] }, { '200': json('`{ok: true, latencyMs, files, fingerprint}` (SMB adds `session: {dialect, signed, encrypted}`, e.g. `{dialect: "SMB3_11", signed: true, encrypted: true}`) or `{ok: false, error: {code, message, fingerprint}}` (SMB: `SMB_ENCRYPTION_UNAVAILABLE` when the server cannot meet `smbSecurity: "required"`; any protocol: `HOST_NOT_ALLOWED` when the host resolves to an address the service never connects to)') }),
      },
      '/api/imports/{id}/test': {
        post: op('Start a dry run (works when inactive)', 'imports.run', { parameters: [idParam('id')] }, {
          '202': json('`{runId, workflowId}`'),
          '409': errorResponse('`RUN_IN_PROGRESS`: a Test Import of this import is queued or running'),
          '429': startRefused,
        }),
      },
      '/api/imports/{id}/run': {
        post: op('Start a run', 'imports.run', { parameters: [idParam('id')] }, {
          '202': json('`{runId, workflowId}`'),
          '409': errorResponse('`IMPORT_INACTIVE`, or `RUN_IN_PROGRESS`: a run of this import is queued or running'),
          '429': startRefused,
        }),
      },
      '/api/imports/{id}/batch': {
        post: op(
          `Submit to Batch: a real run (trigger \`batch\`) that waits until \`startAt\` (in the past: now; at most ${MAX_BATCH_LEAD_DAYS} days ahead), then runs as any run. Due while another real run of the import is queued or running, it waits for it. \`highPriority\` also needs \`batch.setPriority\`, \`keepUntilDeleted\` also needs \`batch.setExpiration\``,
          'batch.submit',
          { parameters: [idParam('id')], requestBody: bodyOf('BatchBody') },
          {
            '202': json('`{batchId, runId, workflowId, startAt, status}`; `startAt` is when it will start, `status` `queued` (or `failed` when the run could not be fixed, e.g. no mapping)'),
            '403': errorResponse('`RIGHT_REQUIRED`: the key lacks `batch.submit`, or the right for a flag it set (`batch.setPriority`, `batch.setExpiration`); `details[].right` names it'),
            '409': json('`IMPORT_INACTIVE`'),
          },
        ),
      },
      '/api/batch-queue': {
        get: op('The district’s batch submissions, the next to start first', 'imports.read', {}, {
          '200': json('`[{batchId, importId, status: "queued"|"processing"|"completed"|"failed"|"canceled", startAt, highPriority, keepUntilDeleted, runId, workflowId, createdAt, finishedAt}]`; `importId` null once the import was deleted'),
        }),
      },
      '/api/batch-queue/{batchId}': {
        delete: op('Cancel a queued batch submission (its run ends `canceled`, its workflow is canceled), or delete a finished one with its run and report', 'batch.submit', { parameters: [idParam('batchId')] }, {
          '200': json('Canceled: the submission, `status: "canceled"`'),
          '204': { description: 'Deleted: the submission, its run and its report are gone' },
          '409': json('`BATCH_PROCESSING`: it is running; delete it once it has finished'),
        }),
      },
      '/api/runs': {
        get: op('Runs, newest first', 'reports.read', { parameters: [{ name: 'importId', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } }] }, { '200': json('Runs') }),
      },
      '/api/runs/{runId}': {
        get: op('One run with files, progress, summary, error and what followed it (`afterRun`)', 'reports.read', { parameters: [idParam('runId')] }, {
          '200': json('The run: `{id, importId, mode, trigger, status, …, files, summary, error, afterRun}`', {
            type: 'object',
            properties: { afterRun: { $ref: '#/components/schemas/AfterRun' } },
          }),
        }),
      },
      '/api/runs/{runId}/cancel': {
        post: op(
          'Cancel a queued or running run: it ends `canceled` after the chunk in flight, keeping the chunks it committed; its report has a `RUN_CANCELED` warning with what was applied, and files not processed stay in place, not renamed. A batch submission waiting for its start time is canceled at once',
          'imports.run',
          { parameters: [idParam('runId')] },
          {
            '202': json('Cancellation requested: the run as it stands (`status` turns `canceled` once the workflow has ended it)'),
            '409': json('`RUN_ENDED`: the run has already ended (completed, failed or canceled)'),
          },
        ),
      },
      '/api/runs/{runId}/report': {
        get: op(
          'The report, a page at a time; `Accept: text/csv` for every row as CSV, streamed',
          'reports.read',
          {
            parameters: [
              idParam('runId'),
              { name: 'limit', in: 'query', description: 'Records and problems together on this page (ignored for CSV)', schema: { type: 'integer', minimum: 1, maximum: MAX_REPORT_PAGE, default: DEFAULT_REPORT_PAGE } },
              { name: 'cursor', in: 'query', description: 'The `next` of the previous page; omit for the first (ignored for CSV)', schema: { type: 'string', maxLength: MAX_CURSOR_LENGTH, pattern: '^[A-Za-z0-9_-]+$' } },
            ],
          },
          {
            '200': {
              description:
                "One page: records (by file, then line), then problems (the run's own, then each file's by line), as one sequence, so a page may end the records and begin the problems. `next` is the cursor of the following page, `null` on the last; `summary` is always the whole run's. The summary's keys, the records' fields and the CSV columns are those of the run's kind (eligibility: API.md and the `EligibilityReport` schema; students: `RosterReport`, one record per applied row). The CSV holds every record, then every problem, under one header.",
              content: { 'application/json': { schema: reportPageSchema }, 'text/csv': { schema: { type: 'string' } } },
            },
            '422': errorResponse('`VALIDATION_FAILED`: `limit` out of range, or a `cursor` this API did not give'),
          },
        ),
      },
    },
  };
}
