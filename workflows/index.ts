export { importRunWorkflow } from './import-run';
export { testConnectionWorkflow } from './test-connection';
export { batchRetentionWorkflow } from './batch-retention';
export { runReaperWorkflow } from './run-reaper';
