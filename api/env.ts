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

export type AppEnv = { Variables: { deps: ApiDeps; principal: Principal } };
