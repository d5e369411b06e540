// A Temporal dev server (in memory) and a prebuilt workflow bundle for one bench, and their cleanup.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type RunningDevServer } from '../scripts/temporal-dev-server.js';
import { workflowsPath } from '../runtime/workflows-path.js';
import { failureConverterPath } from '../security/failure-converter-path.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';

export interface BenchTemporal {
  server: RunningDevServer;
  /** A temporary directory of the bench's own, removed by close(). */
  dir: string;
  bundlePath: string;
  close(): Promise<void>;
}

export async function startBenchTemporal(name: string): Promise<BenchTemporal> {
  const server = await startDevServer({ searchAttributes: allSearchAttributeKeys, readinessTimeoutMs: 120_000 });
  const dir = await mkdtemp(join(tmpdir(), `ledgerbridge-${name}-`));
  const bundlePath = join(dir, 'bundle.js');
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
  const close = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  // Stopped by a person or the bench runner: no dev server left behind (process 'exit' hooks stop the rest).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close().finally(() => process.exit(130)));
  await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quiet })).code);
  return { server, dir, bundlePath, close };
}
