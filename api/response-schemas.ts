import { z } from 'zod';
import { ELIGIBILITY_CODES } from '../kinds/eligibility/codes';
import { eligibilityMappingSchema } from '../kinds/eligibility/mapping';
import { KIND_NAMES } from '../kinds';
import { RIGHTS } from '../security/api-keys';
import { notifySchema, scheduleSchema, trustSchema } from './schemas';

// What the API answers, as the OpenAPI document gives it. Instants are ISO-8601 text, ids UUIDs.

const instant = z.iso.datetime();
const id = z.uuid();
const count = z.number().int().min(0);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
      message: z.string(),
      details: z.array(z.looseObject({ field: z.string().optional(), message: z.string() })),
    }),
  })
  .meta({ id: 'Error' });

export const healthSchema = z.object({ ok: z.boolean(), database: z.boolean(), temporal: z.boolean() });

export const openApiDocumentSchema = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) });

export const districtSchema = z.object({ id, name: z.string(), timeZone: z.string() });

const rights = z.array(z.enum(RIGHTS));

export const createdKeySchema = z.object({ id, name: z.string(), key: z.string().describe('The key itself, shown this once'), rights, expiresAt: instant.nullable() });

export const apiKeySchema = z.object({ id, name: z.string(), rights, createdAt: instant, lastUsedAt: instant.nullable(), expiresAt: instant.nullable(), revokedAt: instant.nullable() });

export const auditEntrySchema = z.object({
  id: z.string().regex(/^[1-9]\d*$/),
  at: instant,
  keyId: id.nullable().describe('null for the platform admin key'),
  districtId: id.nullable(),
  method: z.string(),
  route: z.string().nullable(),
  objectId: z.string().nullable(),
  status: z.number().int().nullable().describe('null while the request runs'),
});

export const upsertedSchema = z.object({ upserted: count });

export const studentSchema = z.object({
  studentNumber: z.string(),
  stateId: z.string().nullable(),
  personId: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate.nullable(),
  schoolCode: z.string().nullable(),
  grade: z.string().nullable(),
  dateOfBirth: isoDate.nullable().describe("the roster's name for birthDate"),
  username: z.string().nullable(),
  status: z.enum(['active', 'deactivated']).nullable().describe('null for a student only eligibility knows'),
  orderId: id.nullable(),
  eligibility: z.array(
    z.object({
      schoolYear: z.number().int(),
      startDate: isoDate,
      endDate: isoDate.nullable(),
      eligibility: z.enum(ELIGIBILITY_CODES),
      certifiedType: z.string(),
      applicationName: z.string().nullable(),
      referenceNumber: z.string().nullable(),
    }),
  ),
});

export const schoolSchema = z.object({ code: z.string(), name: z.string() });

export const orderSchema = z.object({ id, kind: z.enum(['enterprise', 'regular']), schoolCode: z.string().nullable(), purchased: count, held: count, free: count });

export const associationSchema = z.object({ studentNumber: z.string(), status: z.enum(['active', 'deactivated']), orderId: id, order: orderSchema });

export const mappingSchema = z.object({ id, ...eligibilityMappingSchema.shape, schedulable: z.boolean(), createdAt: instant });

const connectionSchema = z.object({
  protocol: z.enum(['sftp', 'ftps', 'smb']),
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  username: z.string(),
  domain: z.string().nullable(),
  directoryPath: z.string(),
  ftpsMode: z.enum(['implicit', 'explicit']).optional(),
  smbSecurity: z.enum(['required', 'legacy']).optional(),
  trust: trustSchema.nullable(),
  passwordSet: z.boolean(),
  privateKeySet: z.boolean(),
  passphraseSet: z.boolean(),
});

export const importSchema = z.object({
  id,
  name: z.string(),
  kind: z.enum(KIND_NAMES as [string, ...string[]]),
  active: z.boolean(),
  mappingId: id.nullable(),
  connection: connectionSchema.describe('The settings, and which secrets are set: never their values'),
  schedule: scheduleSchema.nullable(),
  notify: notifySchema.nullable(),
  createdAt: instant,
  updatedAt: instant,
});

export const runStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'canceled']);

export const importWithStatusSchema = importSchema.extend({
  nextRuns: z.array(instant).nullable().describe('The next 5 instants its schedule starts a run; [] without an active schedule; null when Temporal did not answer'),
  nextRunsNote: z.string().optional(),
  lastRun: z.object({ id, status: runStatusSchema, finishedAt: instant.nullable() }).nullable(),
});

const listedFileSchema = z.object({ name: z.string(), size: count, modifiedAt: instant });

export const testConnectionSchema = z.union([
  z.object({
    ok: z.literal(true),
    latencyMs: count,
    files: z.array(listedFileSchema),
    fingerprint: z.string().nullable(),
    keyType: z.string().optional(),
    session: z.object({ dialect: z.string(), signed: z.boolean(), encrypted: z.boolean() }).optional(),
  }),
  z.object({
    ok: z.literal(false),
    latencyMs: count,
    error: z.object({ code: z.string(), message: z.string(), fingerprint: z.string().optional(), keyType: z.string().optional() }),
  }),
]);

export const runStartedSchema = z.object({ runId: id, workflowId: z.string() });

export const batchSubmittedSchema = z.object({ batchId: id, runId: id, workflowId: z.string(), startAt: instant, status: z.enum(['queued', 'failed']) });

export const batchSchema = z.object({
  batchId: id,
  importId: id.nullable().describe('null once the import was deleted'),
  status: z.enum(['queued', 'processing', 'completed', 'failed', 'canceled']),
  startAt: instant,
  highPriority: z.boolean(),
  keepUntilDeleted: z.boolean(),
  runId: id,
  workflowId: z.string(),
  createdAt: instant,
  finishedAt: instant.nullable(),
});

const codeAndMessage = z.object({ code: z.string(), message: z.string() });

export const afterRunSchema = z
  .object({ errorFile: z.string().nullable(), email: z.enum(['none', 'sent', 'logged', 'failed']), problems: z.array(codeAndMessage) })
  .nullable()
  .describe("What followed a real run (null for a dry run, and until the step has run): the error file, the e-mail, what failed. The run's status never changes because of it.")
  .meta({ id: 'AfterRun' });

const summarySchema = z.record(z.string(), z.number().int());

export const runSchema = z.object({
  id,
  importId: id.nullable(),
  importName: z.string(),
  mode: z.enum(['test', 'run']),
  trigger: z.enum(['manual', 'schedule', 'batch']),
  status: runStatusSchema,
  workflowId: z.string(),
  createdAt: instant,
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
  progress: z
    .object({
      bytesRead: count.describe("Bytes downloaded so far, over the files the run took"),
      bytesTotal: count.describe("The taken files' sizes when they were claimed; grows as files are claimed"),
      rowsStaged: count.describe('Rows of the files staged whole so far'),
      rowsRead: count.describe('Rows read by the chunks applied so far'),
      rowsApplied: count.describe('Rows applied (records written) so far'),
    })
    .describe('How far the run has got; it moves while the run runs'),
  files: z.array(
    z.object({
      name: z.string(),
      renamedTo: z.string().nullable(),
      sha256: z.string().nullable(),
      rows: count,
      size: count,
      bytesRead: count,
      status: z.enum(['processing', 'skipped', 'empty', 'duplicate', 'failed', 'processed']),
    }),
  ),
  summary: summarySchema.nullable(),
  error: codeAndMessage.nullable(),
  afterRun: afterRunSchema,
});

export const problemSchema = z
  .object({
    file: z.string().nullable().optional(),
    line: z.number().int().min(1).nullable().describe('null for a problem about a whole file (e.g. `HEADER_MISMATCH`, `MISSING_COLUMN`; a file the run could not read or rename: `FILE_NOT_READABLE`, `FILE_VANISHED`, `FILE_NOT_RENAMED`, `UNSAFE_FILE_NAME`)'),
    severity: z.enum(['error', 'warning']),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Problem' });

const recordPlace = { file: z.string(), line: z.number().int().min(1) };

export const eligibilityRecordSchema = z
  .object({
    ...recordPlace,
    name: z.string().describe('"Last, First"'),
    studentNumber: z.string(),
    schoolYear: z.number().int(),
    startDate: isoDate,
    endDate: isoDate.nullable(),
    eligibility: z.enum(ELIGIBILITY_CODES),
    certifiedType: z.string(),
    applicationName: z.string().nullable(),
    referenceNumber: z.string().nullable(),
    status: z.enum(['New', 'Updated', 'Ended', 'Removed', 'Existing']),
  })
  .meta({ id: 'EligibilityRecord' });

export const rosterRecordSchema = z
  .object({
    ...recordPlace,
    studentNumber: z.string(),
    name: z.string().describe('"Last, First", from the row'),
    statusCode: z.enum(['A', 'D', 'X', 'I']).describe("the row's status (`IGNORE` reads as `I`)"),
    outcome: z.enum(['added', 'activated', 'deactivated', 'updated']),
    orderBefore: id.nullable().describe('the order the student was associated with; null when it was absent from the roster'),
    orderAfter: id,
  })
  .meta({ id: 'RosterRecord' });

export const reportPageSchema = z.object({
  runId: id,
  mode: z.enum(['test', 'run']),
  status: runStatusSchema,
  summary: summarySchema.describe("The whole run's counts, by the kind's keys"),
  records: z.array(z.union([eligibilityRecordSchema, rosterRecordSchema])),
  problems: z.array(problemSchema),
  next: z.string().nullable().describe('Pass as `cursor` for the following page; null on the last page'),
});
