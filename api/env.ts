import type { ApiConfig } from '../config';
import type { Db } from '../db/pool';
import type { Principal } from './auth';
import type { ScheduleManager } from './import-schedules';
import type { RunLauncher } from './run-launcher';

export interface ApiDeps {
  db: Db;
  config: ApiConfig;
  launcher: RunLauncher;
  schedules: ScheduleManager;
}

export type AppEnv = {
  Variables: {
    deps: ApiDeps;
    principal: Principal;
    /** Any stored key the request presented, even a revoked or expired one: whom the audit log names. */
    presentedKey?: { id: string; districtId: string };
    /** The district a request acts on, once checked (the platform admin names it per request). */
    actingDistrictId?: string;
    /** The id of what a 201 response created. */
    createdId?: string;
    /** The audit log entry written before the request was handled. */
    auditEntryId?: string;
  };
};
