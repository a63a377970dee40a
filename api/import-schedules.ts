import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction, type WorkflowStartOptions } from '@temporalio/client';
import type { District } from '../db/queries/districts';
import type { StoredImport } from '../db/queries/imports';
import { legacyScheduleIdOf, scheduledRunWorkflowId, scheduleIdOf, type ImportRunInput } from '../domain/runs';
import { runPriority } from '../domain/run-priority';
import { scheduleSpecOf } from '../domain/schedule-spec';
import { importRunWorkflow } from '../workflows';
import { ApiError } from './errors';
import { runSearchAttributes } from './run-launcher';

/** Keeps each import's Temporal Schedule in step with the import: one per import that has a schedule, paused while inactive. */
export interface ScheduleManager {
  /**
   * Creates, updates, pauses or deletes the import's schedule; `previous` is the import before an edit
   * (a rename moves the schedule, and one under an earlier build's id is replaced).
   */
  sync(district: District, imp: StoredImport, previous?: StoredImport): Promise<void>;
  remove(district: District, imp: StoredImport): Promise<void>;
  /** Up to `count` next times the schedule starts a run, as Temporal computes them; [] when the import has none or is inactive. */
  nextRuns(district: District, imp: StoredImport, count: number): Promise<Date[]>;
}

/** Temporal did not answer a read of a schedule. */
export class SchedulerUnavailableError extends Error {
  override readonly name = 'SchedulerUnavailableError';
}

const READ_TIMEOUT_MS = 3000;

/** `specFrom` is for tests only: specs are made as of that instant (see scheduleSpecOf) instead of now. */
export function createTemporalScheduleManager(client: Client, taskQueue: string, options: { specFrom?: Date } = {}): ScheduleManager {
  const names = (district: District, imp: StoredImport) => ({ districtName: district.name, importName: imp.name, importId: imp.id });
  const idOf = (district: District, imp: StoredImport) => scheduleIdOf(names(district, imp));
  /** Every id the import's schedule may have now. */
  const idsOf = (district: District, imp: StoredImport) => [idOf(district, imp), legacyScheduleIdOf(names(district, imp))];

  async function deleteIfPresent(scheduleId: string): Promise<void> {
    try {
      await client.schedule.getHandle(scheduleId).delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }

  function optionsOf(district: District, imp: StoredImport): Omit<ScheduleOptions, 'scheduleId'> {
    const input: ImportRunInput = { importId: imp.id, mode: 'run', trigger: 'schedule' };
    // the SDK sends `priority` for schedule actions, though 1.24's create type leaves it out
    const action: ScheduleOptionsStartWorkflowAction<typeof importRunWorkflow> & Pick<WorkflowStartOptions, 'priority'> = {
      type: 'startWorkflow',
      workflowType: importRunWorkflow,
      taskQueue,
      workflowId: scheduledRunWorkflowId(names(district, imp)),
      args: [input],
      typedSearchAttributes: runSearchAttributes(district.id, imp.id, 'run'),
      priority: runPriority(district.id),
    };
    return {
      spec: scheduleSpecOf(imp.schedule!, district.timeZone, { from: options.specFrom }),
      action,
      // a run still going when the next one is due makes the next one wait for the following slot
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      state: { paused: !imp.active, note: imp.active ? `Import "${imp.name}" is active.` : `Import "${imp.name}" is inactive.` },
    };
  }

  async function unavailable<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new ApiError(503, 'SCHEDULER_UNAVAILABLE', 'Temporal did not accept the schedule change, so nothing was saved; try again when /api/health reports temporal: true.', [], { cause: error });
    }
  }

  return {
    async sync(district, imp, previous) {
      await unavailable(async () => {
        const scheduleId = idOf(district, imp);
        for (const id of previous ? idsOf(district, previous) : []) if (id !== scheduleId) await deleteIfPresent(id);
        if (!imp.schedule) return deleteIfPresent(scheduleId);
        const options = optionsOf(district, imp);
        try {
          await client.schedule.create({ scheduleId, ...options });
        } catch (error) {
          if (!(error instanceof ScheduleAlreadyRunning)) throw error;
          await client.schedule.getHandle(scheduleId).update((old) => ({ ...old, ...options }));
        }
      });
    },
    async remove(district, imp) {
      await unavailable(async () => {
        for (const id of idsOf(district, imp)) await deleteIfPresent(id);
      });
    },
    async nextRuns(district, imp, count) {
      if (!imp.schedule || !imp.active) return [];
      // under an earlier build's id until the refresh or a save moves it
      for (const id of idsOf(district, imp)) {
        try {
          const schedule = await client.withDeadline(Date.now() + READ_TIMEOUT_MS, () => client.schedule.getHandle(id).describe());
          return schedule.info.nextActionTimes.slice(0, count);
        } catch (error) {
          if (!(error instanceof ScheduleNotFoundError)) throw new SchedulerUnavailableError('Temporal did not describe the schedule.', { cause: error });
        }
      }
      return [];
    },
  };
}
