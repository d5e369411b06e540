import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes.js';
import { findTemporalExecutable, noTemporalMessage } from './temporal-binary.js';

export interface DevServerOptions {
  /** SQLite file to persist to; in memory when absent. */
  dbFile?: string;
  /** Web UI port; headless when absent. */
  uiPort?: number;
  /** Codec server the Web UI decodes payloads with (`--ui-codec-endpoint`), e.g. the API's /codec. */
  uiCodecEndpoint?: string;
  port?: number;
  searchAttributes: SearchAttributeKey<SearchAttributeType>[];
  /** `--dynamic-config-value KEY=JSON` pairs. */
  dynamicConfig?: Record<string, unknown>;
  /** How long to wait for the frontend to answer. The SDK's own start waits 5 s, too little on a busy 2-core machine. */
  readinessTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and waits until its frontend answers. */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const log = options.log ?? (() => {});
  const executable = await findTemporalExecutable(log);
  const port = options.port ?? (await freePort());
  const dynamic = {
    'frontend.enableUpdateWorkflowExecution': true,
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
    ...options.dynamicConfig,
  };
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  for (const key of options.searchAttributes) args.push('--search-attribute', `${key.name}=${cliType(key.type)}`);
  for (const [key, value] of Object.entries(dynamic)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  if (options.uiPort && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  else args.push('--headless');

  if (executable.type === 'cached-download') {
    // Users with internet and no CLI: the SDK downloads one (its readiness wait is its own).
    try {
      const env = await TestWorkflowEnvironment.createLocal({
        server: { executable, ip: '127.0.0.1', port, dbFilename: options.dbFile, uiPort: options.uiPort, searchAttributes: options.searchAttributes,
          ...(options.uiPort && options.uiCodecEndpoint ? { extraArgs: ['--ui-codec-endpoint', options.uiCodecEndpoint] } : {}) },
      });
      return { address: env.address, uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null, stop: () => env.teardown() };
    } catch (error) {
      throw new Error(noTemporalMessage(error));
    }
  }

  const child = spawn(executable.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Never leave a server behind, even when our process dies without stopping it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const address = `127.0.0.1:${port}`;
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null;
  try {
    const deadline = Date.now() + (options.readinessTimeoutMs ?? 90_000);
    await waitForFrontend(address, child, deadline);
    // The UI is served by the same process but listens on its own: a browser opened now finds it.
    if (uiUrl) await waitForUi(uiUrl, child, deadline);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\nTemporal server output:\n${output}`);
  }
  return { address, uiUrl, stop: () => stopChild(child) };
}

async function waitForFrontend(address: string, child: ChildProcess, deadline: number): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal server exited with code ${child.exitCode} before it was ready`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Temporal dev server at ${address} was not ready in time: ${(lastError as Error)?.message}`);
}

async function waitForUi(uiUrl: string, child: ChildProcess, deadline: number): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal server exited with code ${child.exitCode} before its UI was ready`);
    try {
      const response = await fetch(`${uiUrl}/api/v1/settings`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal UI at ${uiUrl} was not ready in time: ${(lastError as Error)?.message}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** CLI spelling of a search attribute type (KEYWORD_LIST → KeywordList). */
function cliType(type: SearchAttributeType): string {
  return String(type)
    .toLowerCase()
    .split('_')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
