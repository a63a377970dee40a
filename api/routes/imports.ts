import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppConfig } from '../../config';
import { withTransaction, type Db } from '../../db/pool';
import { findDistrict } from '../../db/queries/districts';
import { deleteImport, findImport, findSealedSecrets, insertImport, listImports, lockImport, updateImport, type ImportWrite, type StoredImport } from '../../db/queries/imports';
import type { Queryable } from '../../db/queries/queryable';
import { findMapping } from '../../db/queries/mappings';
import { RunInProgressError } from '../../db/queries/runs';
import { kindOf, UnknownKindError, type Kind } from '../../kinds';
import type { RunMode } from '../../domain/runs';
import { isSchedulable } from '../../kinds/eligibility/mapping';
import { DistrictRunCapError } from '../../runs/district-run-cap';
import { auditCreated } from '../audit';
import { submitBatch } from '../batch-submission';
import { districtOf, isUuid, requireRight } from '../auth';
import { ApiError, notFound } from '../errors';
import type { ApiDeps, AppEnv } from '../env';
import { mergeConnection, presentImport, splitConnection } from '../import-definition';
import { importStatusOf } from '../import-status';
import { sealSecrets, unsealSecrets } from '../../security/connection-secrets';
import { checkHost } from '../../security/host-check';
import { batchSubmittedSchema, importSchema, importWithStatusSchema, runStartedSchema, testConnectionSchema } from '../response-schemas';
import { defineRoute, json, jsonBody, newRouter, problem, rateLimited, readRouteBody } from '../route-contract';
import { reply } from '../typed-reply';
import { batchBody, importBody, importPatch, MAX_BATCH_LEAD_DAYS } from '../schemas';

async function loadImport(c: Context<AppEnv>): Promise<StoredImport> {
  const districtId = await districtOf(c);
  const id = c.req.param('id') ?? '';
  const imp = isUuid(id) ? await findImport(c.var.deps.db, districtId, id) : undefined;
  if (!imp) throw notFound('Import');
  return imp;
}

/** The kind says where an import's settings come from: a mapping it must name, or nothing (then it may name none). */
async function checkSettings(db: Queryable, districtId: string, kind: Kind, mappingId: string | null | undefined): Promise<void> {
  if (kind.settingsFrom === 'mapping') return checkMapping(db, districtId, kind, mappingId);
  // an empty id is given too: it names no mapping, and the uuid column would refuse it
  if (mappingId !== undefined && mappingId !== null) {
    throw new ApiError(422, 'VALIDATION_FAILED', `mappingId: a ${kind.name} import takes no mapping; leave it out.`, [{ field: 'mappingId', message: `not allowed for kind "${kind.name}"` }]);
  }
}

async function checkMapping(db: Queryable, districtId: string, kind: Kind, mappingId: string | null | undefined): Promise<void> {
  if (!mappingId) throw new ApiError(422, 'VALIDATION_FAILED', `mappingId: a ${kind.name} import needs a mapping.`, [{ field: 'mappingId', message: 'required' }]);
  const mapping = isUuid(mappingId) ? await findMapping(db, districtId, mappingId) : undefined;
  if (!mapping) throw new ApiError(422, 'MAPPING_NOT_FOUND', 'mappingId: no such mapping in this district.', [{ field: 'mappingId', message: 'not found' }]);
  if (!isSchedulable(mapping.definition)) {
    throw new ApiError(422, 'MAPPING_NOT_SCHEDULABLE', `Mapping "${mapping.definition.name}" does not map both startDate and endDate, so an import cannot use it.`, [
      { field: 'mappingId', message: 'the mapping must map startDate and endDate' },
    ]);
  }
}

/** The registry's kind of that name; one this build does not run (e.g. an import made outside the API) is 422. */
function registeredKind(name: string): Kind {
  try {
    return kindOf(name);
  } catch (error) {
    if (!(error instanceof UnknownKindError)) throw error;
    throw new ApiError(422, error.code, `kind: ${error.message}`, [{ field: 'kind', message: 'not available' }], { cause: error });
  }
}

const SAVE_LOOKUP_TIMEOUT_MS = 5000;

/**
 * The address policy when an import is saved; the worker checks again when it connects, since
 * DNS answers change. A host that does not resolve (yet) is saved: Test Connection will say HOST_NOT_FOUND.
 */
async function checkHostAllowed(config: AppConfig, host: string): Promise<void> {
  const check = await checkHost(host, { allowLoopback: config.allowLoopbackSources }, SAVE_LOOKUP_TIMEOUT_MS);
  if (check.kind === 'refused') {
    throw new ApiError(422, 'HOST_NOT_ALLOWED', `connection.host: ${check.reason}.`, [{ field: 'connection.host', message: check.reason }]);
  }
}

/**
 * Writes the import and brings its Temporal Schedule in step in one transaction: when Temporal refuses,
 * nothing is saved. A change is worked out from the import as it is once its row is locked (`writeOf`
 * gets it, and the transaction to read with), so saves at the same moment apply one after the other:
 * none undoes another's settings, and the schedule moved by a rename is the one Temporal holds.
 */
async function save(
  deps: ApiDeps,
  target: { districtId: string; id: string; existing: boolean },
  writeOf: (tx: Queryable, current: StoredImport | undefined) => Promise<ImportWrite>,
): Promise<StoredImport> {
  const district = (await findDistrict(deps.db, target.districtId))!;
  let write: ImportWrite | undefined;
  try {
    return await withTransaction(deps.db, async (tx) => {
      const current = target.existing ? await lockImport(tx, target.id) : undefined;
      // deleted since the request read it
      if (target.existing && current?.districtId !== target.districtId) throw notFound('Import');
      write = await writeOf(tx, current);
      const saved = current ? await updateImport(tx, write) : await insertImport(tx, write);
      await deps.schedules.sync(district, saved, current);
      return saved;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new ApiError(409, 'IMPORT_NAME_TAKEN', `An import named "${write?.name}" already exists in this district.`, [{ field: 'name', message: 'taken' }], { cause: error });
    }
    throw error;
  }
}

/** What a refused admin is told to wait: runs take minutes, so asking sooner rarely finds a place. */
export const DISTRICT_RUN_CAP_RETRY_AFTER_SECONDS = 60;

/**
 * Starts a run asked for now: 409 RUN_IN_PROGRESS while a run of the import in the same mode is queued
 * or running, 429 RATE_LIMITED while the district has MAX_CONCURRENT_RUNS_PER_DISTRICT runs.
 */
async function startManualRun(c: Context<AppEnv>, route: typeof startTest | typeof startRun, imp: StoredImport, mode: RunMode) {
  const { config, db, launcher } = c.var.deps;
  const district = (await findDistrict(db, imp.districtId))!;
  try {
    const run = await launcher.startRun({ district, imp, mode, trigger: 'manual', districtRunCap: config.maxConcurrentRunsPerDistrict });
    return reply(c, route, 202, { runId: run.id, workflowId: run.workflowId });
  } catch (error) {
    if (error instanceof RunInProgressError) {
      throw new ApiError(409, 'RUN_IN_PROGRESS', `A ${mode === 'test' ? 'Test Import' : 'run'} of import "${imp.name}" is already queued or running.`, [], { cause: error });
    }
    if (error instanceof DistrictRunCapError) {
      throw new ApiError(
        429,
        'RATE_LIMITED',
        `The district already has ${error.cap} runs queued or running, the most it may have at once; try again when one has finished.`,
        [{ message: 'concurrent runs of the district', limit: 'concurrentRunsPerDistrict', max: error.cap }],
        { cause: error, retryAfterSeconds: DISTRICT_RUN_CAP_RETRY_AFTER_SECONDS },
      );
    }
    throw error;
  }
}

const importParam = z.object({ id: z.uuid() });
const schedulerUnavailable = problem('`SCHEDULER_UNAVAILABLE`: Temporal refused the schedule; nothing was saved');
const startRefused = rateLimited(
  'The key sent more than its requests a minute, or the district already has `MAX_CONCURRENT_RUNS_PER_DISTRICT` runs queued or running (`RATE_LIMITED`, `details[0].limit`: `requestsPerMinute` or `concurrentRunsPerDistrict`)',
);

const createImport = {
  method: 'post',
  path: '/',
  summary:
    'Create an import (and its Temporal Schedule); secrets are write-only. `kind: "eligibility"` needs a `mappingId`; `kind: "students"` takes none (422 when given)',
  request: { body: jsonBody(importBody, 'ImportBody') },
  responses: {
    201: json('The import, with `passwordSet` etc. instead of secrets', importSchema),
    409: problem('`IMPORT_NAME_TAKEN`'),
    422: problem(
      'Validation failed (`VALIDATION_FAILED`, details name the field; `PROTOCOL_NOT_SUPPORTED`, `MAPPING_NOT_FOUND`, `MAPPING_NOT_SCHEDULABLE`), or `HOST_NOT_ALLOWED`: `connection.host` is, or resolves to, a link-local, cloud metadata or (where the deployment does not allow it) loopback address. A host that does not resolve yet is saved.',
    ),
    503: schedulerUnavailable,
  },
} as const;

const listAll = {
  method: 'get',
  path: '/',
  summary: 'List imports',
  responses: { 200: json('The imports (without `nextRuns` and `lastRun`: the list asks Temporal nothing)', z.array(importSchema)) },
} as const;

const getImport = {
  method: 'get',
  path: '/{id}',
  summary: 'One import, when its schedule runs next and how its newest run went',
  request: { params: importParam },
  responses: {
    200: json(
      'The import, plus `nextRuns`: the next 5 instants its schedule starts a run, as Temporal computes them (`[]` when the import has no schedule or is inactive; `null` with a `nextRunsNote` when Temporal does not answer within 3 s), and `lastRun`: its newest run, or `null`',
      importWithStatusSchema,
    ),
  },
} as const;

const changeImport = {
  method: 'patch',
  path: '/{id}',
  summary: 'Change an import (e.g. pin a fingerprint); updates, pauses or removes its schedule',
  request: { params: importParam, body: jsonBody(importPatch, 'ImportPatch') },
  responses: {
    200: json('The import', importSchema),
    409: problem('`IMPORT_NAME_TAKEN`'),
    422: problem(
      'Validation failed; or `CREDENTIALS_REQUIRED`: the PATCH changes `protocol`, `host`, `port` (also through a new protocol or FTPS mode), `username` or `domain` without a `password` or `privateKey` (details name the secret field(s) needed, then the changed fields; with one, no old secret and no old `trust` pin survive unless the PATCH sets `trust`); or `HOST_NOT_ALLOWED` for a new `connection.host`.',
    ),
    503: schedulerUnavailable,
  },
} as const;

const deleteOne = {
  method: 'delete',
  path: '/{id}',
  summary: 'Delete an import and its schedule',
  request: { params: importParam },
  responses: { 204: { description: 'Deleted' }, 503: schedulerUnavailable },
} as const;

const testConnection = {
  method: 'post',
  path: '/{id}/test-connection',
  summary: 'Connect, check trust and list the directory',
  request: { params: importParam },
  responses: {
    200: json(
      '`ok: true` with the files and the server\'s fingerprint (SMB adds `session`), or `ok: false` with an error (SMB: `SMB_ENCRYPTION_UNAVAILABLE` when the server cannot meet `smbSecurity: "required"`; any protocol: `HOST_NOT_ALLOWED` when the host resolves to an address the service never connects to)',
      testConnectionSchema,
    ),
  },
} as const;

const startTest = {
  method: 'post',
  path: '/{id}/test',
  summary: 'Start a dry run (works when inactive)',
  request: { params: importParam },
  responses: {
    202: json('The run started', runStartedSchema),
    409: problem('`RUN_IN_PROGRESS`: a Test Import of this import is queued or running'),
    429: startRefused,
  },
} as const;

const startRun = {
  method: 'post',
  path: '/{id}/run',
  summary: 'Start a run',
  request: { params: importParam },
  responses: {
    202: json('The run started', runStartedSchema),
    409: problem('`IMPORT_INACTIVE`, or `RUN_IN_PROGRESS`: a run of this import is queued or running'),
    429: startRefused,
  },
} as const;

const submitToBatch = {
  method: 'post',
  path: '/{id}/batch',
  summary: `Submit to Batch: a real run (trigger \`batch\`) that waits until \`startAt\` (in the past: now; at most ${MAX_BATCH_LEAD_DAYS} days ahead), then runs as any run. Due while another real run of the import is queued or running, it waits for it. \`highPriority\` also needs \`batch.setPriority\`, \`keepUntilDeleted\` also needs \`batch.setExpiration\``,
  request: { params: importParam, body: jsonBody(batchBody, 'BatchBody') },
  responses: {
    202: json('`startAt` is when it will start; `status` `queued` (or `failed` when the run could not be fixed, e.g. no mapping)', batchSubmittedSchema),
    403: problem('`RIGHT_REQUIRED`: the key lacks `batch.submit`, or the right for a flag it set (`batch.setPriority`, `batch.setExpiration`); `details[].right` names it'),
    409: problem('`IMPORT_INACTIVE`'),
  },
} as const;

export const importRoutes = newRouter();

defineRoute(importRoutes, createImport, async (c) => {
  requireRight(c, 'imports.write');
  const districtId = await districtOf(c);
  const body = await readRouteBody(c, createImport);
  const kind = registeredKind(body.kind);
  const { settings, secrets } = splitConnection(body.connection);
  await checkHostAllowed(c.var.deps.config, settings.host);
  await checkSettings(c.var.deps.db, districtId, kind, body.mappingId);
  const id = randomUUID();
  const { sealed, fields } = sealSecrets(c.var.deps.config.secretsKeys, id, secrets);
  const imp = await save(c.var.deps, { districtId, id, existing: false }, async () => ({
    id,
    districtId,
    name: body.name,
    kind: body.kind,
    active: body.active,
    mappingId: body.mappingId ?? null,
    connection: settings,
    sealedSecrets: sealed,
    secretFields: fields,
    schedule: body.schedule ?? null,
    notify: body.notify ?? null,
  }));
  auditCreated(c, imp.id);
  return reply(c, createImport, 201, presentImport(imp));
});

defineRoute(importRoutes, listAll, async (c) => {
  requireRight(c, 'imports.read');
  const districtId = await districtOf(c);
  return reply(c, listAll, 200, (await listImports(c.var.deps.db, districtId)).map(presentImport));
});

defineRoute(importRoutes, getImport, async (c) => {
  requireRight(c, 'imports.read');
  const imp = await loadImport(c);
  const district = (await findDistrict(c.var.deps.db, imp.districtId))!;
  return reply(c, getImport, 200, { ...presentImport(imp), ...(await importStatusOf(c.var.deps, district, imp)) });
});

defineRoute(importRoutes, changeImport, async (c) => {
  requireRight(c, 'imports.write');
  const found = await loadImport(c);
  const body = await readRouteBody(c, changeImport);
  const { config } = c.var.deps;
  const saved = await save(c.var.deps, { districtId: found.districtId, id: found.id, existing: true }, async (tx, current) => {
    const imp = current!;
    const newHost = body.connection?.host;
    if (newHost !== undefined && newHost.toLowerCase() !== imp.connection.host.toLowerCase()) await checkHostAllowed(config, newHost);
    const oldSecrets = unsealSecrets(config.secretsKeys, imp.id, await findSealedSecrets(tx, imp.id));
    const { settings, secrets } = splitConnection(mergeConnection({ ...imp.connection, ...oldSecrets }, body.connection ?? {}));
    const mappingId = body.mappingId === undefined ? imp.mappingId : body.mappingId;
    await checkSettings(tx, imp.districtId, registeredKind(imp.kind), mappingId);
    const { sealed, fields } = sealSecrets(config.secretsKeys, imp.id, secrets);
    return {
      id: imp.id,
      districtId: imp.districtId,
      name: body.name ?? imp.name,
      kind: imp.kind,
      active: body.active ?? imp.active,
      mappingId,
      connection: settings,
      sealedSecrets: sealed,
      secretFields: fields,
      schedule: body.schedule === undefined ? imp.schedule : body.schedule,
      notify: body.notify === undefined ? imp.notify : body.notify,
    };
  });
  return reply(c, changeImport, 200, presentImport(saved));
});

defineRoute(importRoutes, deleteOne, async (c) => {
  requireRight(c, 'imports.write');
  const found = await loadImport(c);
  const { db, schedules } = c.var.deps;
  const district = (await findDistrict(db, found.districtId))!;
  await withTransaction(db, async (tx) => {
    // the schedule to remove is under the import's name as it is now, after any rename still being saved
    const imp = await lockImport(tx, found.id);
    if (imp?.districtId !== found.districtId) throw notFound('Import');
    await deleteImport(tx, imp.districtId, imp.id);
    await schedules.remove(district, imp);
  });
  return c.body(null, 204);
});

defineRoute(importRoutes, testConnection, async (c) => {
  requireRight(c, 'imports.run');
  const imp = await loadImport(c);
  const district = (await findDistrict(c.var.deps.db, imp.districtId))!;
  return reply(c, testConnection, 200, await c.var.deps.launcher.testConnection({ district, imp }));
});

defineRoute(importRoutes, startTest, async (c) => {
  requireRight(c, 'imports.run');
  return startManualRun(c, startTest, await loadImport(c), 'test');
});

defineRoute(importRoutes, startRun, async (c) => {
  requireRight(c, 'imports.run');
  const imp = await loadImport(c);
  if (!imp.active) throw new ApiError(409, 'IMPORT_INACTIVE', `Import "${imp.name}" is inactive; activate it to run it, or use Test Import.`);
  return startManualRun(c, startRun, imp, 'run');
});

defineRoute(importRoutes, submitToBatch, async (c) => {
  requireRight(c, 'batch.submit');
  const imp = await loadImport(c);
  return reply(c, submitToBatch, 202, await submitBatch(c, imp, await readRouteBody(c, submitToBatch)));
});
