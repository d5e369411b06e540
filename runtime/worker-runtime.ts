import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';

/**
 * Installs the Temporal runtime of a worker process, once, before its first connection: logs as JSON
 * lines (activity logs carry the workflow id, activity type and our order ids) and, when metrics are wanted,
 * the SDK's Prometheus exporter on a loopback port that our metrics server merges into its /metrics.
 * Signals are left to the process (shutdown-signals.ts), which stops the worker itself.
 */
export async function installWorkerRuntime(options: { metrics: boolean; logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' }): Promise<{ sdkMetricsUrl?: string }> {
  const sdkMetricsAddress = options.metrics ? `127.0.0.1:${await freeLoopbackPort()}` : undefined;
  Runtime.install({
    logger: new DefaultLogger(options.logLevel ?? 'INFO', writeJsonLine),
    shutdownSignals: [],
    ...(sdkMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } } : {}),
  });
  return sdkMetricsAddress ? { sdkMetricsUrl: `http://${sdkMetricsAddress}/metrics` } : {};
}

function writeJsonLine(entry: LogEntry): void {
  const line = { time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(), level: entry.level.toLowerCase(), message: entry.message, ...entry.meta };
  process.stdout.write(`${JSON.stringify(line, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`);
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
