// Runs bench/open-loop-sender.ts in a worker thread (its own event loop) and waits for its result.
import { Worker } from 'node:worker_threads';
import type { OpenLoopJob, OpenLoopResult } from './open-loop-sender.js';

export type { OpenLoopJob, OpenLoopResult } from './open-loop-sender.js';

export function sendOpenLoop(job: OpenLoopJob): Promise<OpenLoopResult> {
  // tsx's loader is registered inside the thread: a worker thread does not inherit the parent's.
  const loader = import.meta.resolve('tsx/esm/api');
  const sender = new URL('./open-loop-sender.ts', import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(sender)}); })`, {
    eval: true,
    workerData: job,
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: OpenLoopResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`open-loop sender exited (${code}) without a result`)));
  });
}
