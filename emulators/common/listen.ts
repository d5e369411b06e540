import type { FastifyInstance } from 'fastify';

/** A running emulator: its origin and a way to stop it. */
export interface RunningServer {
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0 = any free port) and reports the origin. */
export async function listenOnLoopback(app: FastifyInstance, port = 0): Promise<RunningServer> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('emulator did not bind a TCP port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () => app.close(),
  };
}
