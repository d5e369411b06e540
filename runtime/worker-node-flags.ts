/**
 * How the worker process is started (package.json `worker`, the compose file's command, the memory bench): Node flags
 * and environment given at launch, since neither can be set from inside a running process. Issue 8 bounds the worker
 * at 1 GiB of RSS with 10,000 orders parked, at every moment (bench/parked-orders-memory.ts). Most of what the worker
 * allocates while a backlog parks is garbage, and the defaults let it pile up: V8 sizes each heap for a 4 GiB limit.
 * The flags are process-wide, so they reach both of the worker's isolates (its main thread and the SDK's workflow thread).
 * - `--max-old-space-size=1024`: after each full collection V8 lets a heap grow to a multiple of what survived, up
 *   to 4× when its limit is 2 GiB or more, about 1.6× with a 1 GiB limit. The live heaps are ~100 MiB each; a heap
 *   that needed 1 GiB would break issue 8's bound anyway.
 * - `--max-semi-space-size=4`: the young generation grows to 2 × 16 MiB per isolate under a high allocation rate;
 *   at 2 × 4 MiB it only scavenges more often (each copies the few survivors), which costs no booking time.
 * - `MALLOC_ARENA_MAX=2`: glibc gives threads that allocate their own 64 MiB arena (up to 8 per core); the Temporal
 *   core's threads and V8's each fragment one, and freed memory is rarely handed back.
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=4'] as const;
export const WORKER_PROCESS_ENV = { MALLOC_ARENA_MAX: '2' } as const;
