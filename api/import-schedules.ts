import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction, type WorkflowStartOptions } from '@temporalio/client';
import type { District } from '../db/queries/districts';
import type { StoredImport } from '../db/queries/imports';
import { scheduledRunWorkflowId, scheduleIdOf, type ImportRunInput } from '../domain/runs';
import { runPriority } from '../domain/run-priority';
import { scheduleSpecOf } from '../domain/schedule-spec';
import { importRunWorkflow } from '../workflows';
import { ApiError } from './errors';
import { runSearchAttributes } from './run-launcher';

/** Keeps each import's Temporal Schedule in step with the import: one per import that has a schedule, paused while inactive. */
export interface ScheduleManager {
  /** Creates, updates, pauses or deletes the import's schedule; `previous` is the import before an edit (a rename moves the schedule). */
  sync(district: District, imp: StoredImport, previous?: StoredImport): Promise<void>;
  remove(district: District, imp: StoredImport): Promise<void>;
}

export function createTemporalScheduleManager(client: Client, taskQueue: string): ScheduleManager {
  const idOf = (district: District, imp: StoredImport) => scheduleIdOf({ districtName: district.name, importName: imp.name, importId: imp.id });

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
      workflowId: scheduledRunWorkflowId({ districtName: district.name, importName: imp.name }),
      args: [input],
      typedSearchAttributes: runSearchAttributes(district.id, imp.id, 'run'),
      priority: runPriority(district.id),
    };
    return {
      spec: scheduleSpecOf(imp.schedule!, district.timeZone),
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
        if (previous && idOf(district, previous) !== scheduleId) await deleteIfPresent(idOf(district, previous));
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
      await unavailable(() => deleteIfPresent(idOf(district, imp)));
    },
  };
}
