/**
 * How a long activity (stageFile, applyChunks) shows it is alive. It heartbeats every HEARTBEAT_EVERY_MS from a timer,
 * the worker sends heartbeats on at most that often, and the workflow gives the activity HEARTBEAT_TIMEOUT_MS: so a
 * killed worker's activity is retried by another worker within seconds, while a beat or two may come late.
 */
export const HEARTBEAT_EVERY_MS = 1000;
export const HEARTBEAT_TIMEOUT_MS = 5000;

/** A download that has read no byte for this long is stalled: its heartbeats stop and the attempt times out. */
export const DOWNLOAD_STALL_MS = 30_000;
