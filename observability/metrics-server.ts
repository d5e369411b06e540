import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from './metrics.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics: ledgerbridge's own metrics and, in the worker, the Temporal SDK's (which the SDK's
 * runtime exports on a loopback port of its own, `sdkMetricsUrl`), so one scrape target has both.
 */
export async function startMetricsServer(options: { host: string; port: number; sdkMetricsUrl?: string }): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    void Promise.all([metricsRegistry.metrics(), options.sdkMetricsUrl ? sdkMetrics(options.sdkMetricsUrl) : ''])
      .then(([ours, sdk]) => {
        response.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(`${ours}\n${sdk}`);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics unavailable: ${(error as Error).message}\n`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function sdkMetrics(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`Temporal SDK metrics answered ${response.status}`);
  return response.text();
}
