export { importRunWorkflow } from './import-run';
export { testConnectionWorkflow } from './test-connection';
