import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, createMaintenanceActivities } from '../activities';
import { RunSessions } from '../activities/run-sessions';
import type { AppConfig } from '../config';
import { createPool } from '../db/pool';
import { createMailer } from '../mail/mailer';
import { connectFileSource } from '../sources/connect';
import { sweepLeftoverAuthFiles } from '../sources/smb-auth-dir';
import { keepHeapNearLiveSize } from './heap-growth';
import { ensureMaintenanceSchedule } from './maintenance-schedule';
import { temporalConnectionOptions } from './temporal-connection';
import { loadWorkflowBundle } from './workflow-bundle';
import { workflowStates } from './workflow-states';
import { HEARTBEAT_EVERY_MS } from '../domain/heartbeats';

let bundle: Promise<WorkflowBundle> | undefined;

/** Loaded once per process: tests start several workers and bundling takes seconds. */
function workflowBundle(prebuiltPath: string | undefined): Promise<WorkflowBundle> {
  bundle ??= loadWorkflowBundle(prebuiltPath);
  return bundle;
}

let runtimeInstalled = false;

/** The SDK logs every worker state change at INFO; operators want warnings and errors. */
function installRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({
    logger: new DefaultLogger((process.env.LOG_LEVEL?.toUpperCase() as LogLevel | undefined) ?? 'WARN'),
    // the caller stops the worker in its own order (API first), so the SDK must not react to Ctrl-C itself
    shutdownSignals: [],
  });
  runtimeInstalled = true;
}

/** Removes SMB credential files a crashed worker left behind. A failure is only logged: SFTP and FTPS imports still run. */
async function sweepSmbCredentialFiles(): Promise<void> {
  try {
    await sweepLeftoverAuthFiles();
  } catch (error) {
    console.warn(`Leftover SMB credential files were not swept: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How many tasks a worker takes at once; tests narrow it to one to watch the order tasks are dispatched in. */
export type WorkerSlots = Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxEagerActivityReservationsPerWorkflowTask'>;

/** Runs a Temporal worker for workflows and activities until stop() is called. */
export async function startWorker(config: AppConfig, slots: WorkerSlots = {}): Promise<{ stop(): Promise<void> }> {
  installRuntime();
  keepHeapNearLiveSize();
  await sweepSmbCredentialFiles();
  await ensureMaintenanceSchedule(config);
  const db = createPool(config.databaseUrl, 20);
  const connection = await NativeConnection.connect(await temporalConnectionOptions(config));
  // the run reaper asks Temporal where runs' workflows stand
  const clientConnection = await Connection.connect(await temporalConnectionOptions(config));
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const sessions = new RunSessions();
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: await workflowBundle(config.workflowBundlePath),
    activities: { ...createActivities({ db, config, connect: connectFileSource, mailer: createMailer(config.mail), sessions }), ...createMaintenanceActivities({ db, config, workflowState: workflowStates(client) }) },
    maxConcurrentActivityTaskExecutions: 20,
    // activities heartbeat every second against a timeout of a few: send each on, not 80% of the timeout later
    maxHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
    ...slots,
  });
  const running = worker.run();
  return {
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await sessions.closeAll();
      await connection.close();
      await clientConnection.close();
      await db.end();
    },
  };
}
