import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Faults a test or a demo can inject into an emulator through its control API
 * (`POST /_emulator/faults`). Each counter is consumed by the next matching API calls.
 */
export interface FaultSettings {
  /** Added to every API response, in ms. */
  latencyMs: number;
  /** The next N API calls answer with `failStatus` (a 5xx) before doing anything. */
  failNext: number;
  failStatus: number;
  /** The next N API calls are processed (the write happens) and then the connection is dropped without a response. */
  dropNext: number;
  /** The next N API calls are answered with the platform's throttle response. */
  throttleNext: number;
}

export type FaultDecision = 'fail' | 'throttle' | 'proceed';

export class FaultInjector {
  private settings: FaultSettings = FaultInjector.defaults();

  static defaults(): FaultSettings {
    return { latencyMs: 0, failNext: 0, failStatus: 503, dropNext: 0, throttleNext: 0 };
  }

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  update(patch: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...patch };
    return this.settings;
  }

  reset(): void {
    this.settings = FaultInjector.defaults();
  }

  /** Called once at the start of every API call: waits for latency, then says whether to fail or throttle it. */
  async before(): Promise<FaultDecision> {
    if (this.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.settings.latencyMs));
    if (this.settings.failNext > 0) {
      this.settings.failNext--;
      return 'fail';
    }
    if (this.settings.throttleNext > 0) {
      this.settings.throttleNext--;
      return 'throttle';
    }
    return 'proceed';
  }

  /** Called after an API call did its work: true means drop the connection instead of answering. */
  takeDrop(): boolean {
    if (this.settings.dropNext > 0) {
      this.settings.dropNext--;
      return true;
    }
    return false;
  }
}

/** Drops the connection without a response: the client sees a reset after the server did the work. */
export function dropConnection(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  request.raw.socket.destroy();
  return reply;
}

/** Mounts GET/POST/DELETE /_emulator/faults on an emulator's Fastify app. */
export function registerFaultRoutes(app: FastifyInstance, faults: FaultInjector): void {
  app.get('/_emulator/faults', async () => faults.current);
  app.post('/_emulator/faults', async (request) => faults.update((request.body ?? {}) as Partial<FaultSettings>));
  app.delete('/_emulator/faults', async () => {
    faults.reset();
    return faults.current;
  });
}
