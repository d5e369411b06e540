import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer } from '../scripts/temporal-dev-server.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { workflowsPath } from '../runtime/workflows-path.js';
import { failureConverterPath } from '../security/failure-converter-path.js';
import { quietBundlerLogger } from '../scripts/quiet-bundler-logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

/**
 * One Temporal dev server (in memory, headless) and one workflow bundle for the whole run: test files
 * share them and keep apart through unique task queues and workflow ids.
 */
export default async function setup(project: TestProject) {
  const [server, bundle] = await Promise.all([
    startDevServer({
      searchAttributes: allSearchAttributeKeys,
      dynamicConfig: {
        // Low enough that the health workflow's continue-as-new path runs in a test; order syncs stay far below it.
        'limit.historyCount.suggestContinueAsNew': 120,
        // The server fires no timer task (workflow timer, activity retry) sooner than this after it is written
        // (default 1 s): a test's 100 ms retry or 700 ms re-check fired a second or more late, idle time in every
        // file that sets short timings. Production keeps the default; its timings are seconds and longer.
        'history.timerProcessorMaxTimeShift': '10ms',
      },
      readinessTimeoutMs: 120_000,
      log: (line) => console.error(line),
    }),
    bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietBundlerLogger }),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'ledgerbridge-bundle-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

