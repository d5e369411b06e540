import { createServer, connect, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that can hold what clients send instead of passing it on: a stand-in for a
 * server that stopped answering. `sentWhileHeld` resolves at the first bytes a client sends while held.
 */
export interface HoldProxy {
  address: string;
  hold(): void;
  sentWhileHeld(): Promise<void>;
  close(): Promise<void>;
}

export async function startHoldProxy(target: string): Promise<HoldProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let held = false;
  let heldTraffic: () => void = () => {};
  const heldPromise = new Promise<void>((resolve) => (heldTraffic = resolve));
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('data', (chunk) => {
      if (held) heldTraffic();
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: listening } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${listening}`,
    hold: () => {
      held = true;
    },
    sentWhileHeld: () => heldPromise,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
