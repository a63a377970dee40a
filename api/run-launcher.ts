import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes, defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Db } from '../db/pool';
import type { District } from '../db/queries/districts';
import type { StoredImport } from '../db/queries/imports';
import { markRunFailed, type StoredRun } from '../db/queries/runs';
import { runPriority } from '../domain/run-priority';
import { runWorkflowId, SEARCH_ATTRIBUTES, type BatchOptions, type ImportRunInput, type RunMode, type RunTrigger, type TestConnectionResult } from '../domain/runs';
import { UnknownKindError } from '../kinds';
import { createRun } from '../runs/create-run';
import { importRunWorkflow, testConnectionWorkflow } from '../workflows';
import { ApiError } from './errors';

/** How the API reaches Temporal: it never talks to file servers itself. */
export interface RunLauncher {
  /**
   * `districtRunCap`: refuse (DistrictRunCapError) when the district has that many runs queued or running.
   * With `batch`, the run is a batch submission: it waits for its start time, at its priority.
   */
  startRun(p: { district: District; imp: StoredImport; mode: RunMode; trigger: RunTrigger; districtRunCap?: number; batch?: BatchOptions }): Promise<StoredRun>;
  testConnection(p: { district: District; imp: StoredImport }): Promise<TestConnectionResult>;
  /** Requests cancellation of a run's workflow; one that has ended already is left as it is. */
  cancelRun(workflowId: string): Promise<void>;
  temporalHealthy(): Promise<boolean>;
}

const districtKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.districtId, SearchAttributeType.KEYWORD);
const importKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.importId, SearchAttributeType.KEYWORD);
const modeKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.runMode, SearchAttributeType.KEYWORD);

export function runSearchAttributes(districtId: string, importId: string, mode: string) {
  return new TypedSearchAttributes([
    { key: districtKey, value: districtId },
    { key: importKey, value: importId },
    { key: modeKey, value: mode },
  ]);
}

export function createTemporalRunLauncher(client: Client, db: Db, taskQueue: string): RunLauncher {
  return {
    async startRun({ district, imp, mode, trigger, districtRunCap, batch }) {
      const runId = randomUUID();
      const workflowId = runWorkflowId({ kind: mode, districtName: district.name, importName: imp.name, at: new Date(), uniqueSuffix: runId });
      const run = await createRun(db, { id: runId, imp, mode, trigger, workflowId, districtRunCap, batch }).catch((error: unknown) => {
        if (error instanceof UnknownKindError) throw new ApiError(422, error.code, error.message, [{ field: 'kind', message: 'not available' }], { cause: error });
        throw error;
      });
      // settings that could not be fixed (e.g. no mapping): the run has failed already, with their code
      if (run.status === 'failed') return run;
      const input: ImportRunInput = { runId, importId: imp.id, mode, trigger, ...(batch ? { startAt: batch.startAt.toISOString() } : {}) };
      try {
        await client.workflow.start(importRunWorkflow, {
          taskQueue,
          workflowId,
          args: [input],
          typedSearchAttributes: runSearchAttributes(district.id, imp.id, mode),
          memo: { runId },
          priority: runPriority(district.id, batch?.highPriority),
        });
      } catch (error) {
        const message = error instanceof WorkflowExecutionAlreadyStartedError ? 'The workflow id is taken.' : 'Temporal did not accept the run.';
        await markRunFailed(db, runId, { code: 'START_FAILED', message }, null);
        throw error;
      }
      return run;
    },

    async testConnection({ district, imp }) {
      const workflowId = runWorkflowId({ kind: 'test-connection', districtName: district.name, importName: imp.name, at: new Date(), uniqueSuffix: randomUUID() });
      return client.workflow.execute(testConnectionWorkflow, {
        taskQueue,
        workflowId,
        args: [{ importId: imp.id }],
        typedSearchAttributes: runSearchAttributes(district.id, imp.id, 'test-connection'),
        workflowExecutionTimeout: '2 minutes',
      });
    },

    async cancelRun(workflowId) {
      try {
        await client.workflow.getHandle(workflowId).cancel();
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    },

    async temporalHealthy() {
      try {
        await client.workflowService.getSystemInfo({});
        return true;
      } catch {
        return false;
      }
    },
  };
}
