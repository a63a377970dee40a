/**
 * How many malloc arenas glibc gives the worker's process. By default it makes up to eight per core as threads
 * allocate (Temporal's core, libuv's pool, V8's helpers), and memory freed in one arena is not reused by another:
 * measured with `npm run bench`, two arenas lowered the worker's peak resident size by 20–40 MB at every size with
 * no change in speed. glibc reads it once, when the process starts, so it is set in the environment of every way the
 * worker starts: package.json's `start` and `worker` scripts, the Dockerfile, and the test and bench harness
 * (test/support/worker-process.ts). An operator's own MALLOC_ARENA_MAX wins.
 */
export const MALLOC_ARENA_MAX = '2';
