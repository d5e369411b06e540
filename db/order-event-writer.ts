import type { Database } from './database.js';
import { queueOrderEvents, type QueuedOrderEvent, type QueueOutcome } from './webhook-intake.js';

export interface OrderEventWriterOptions {
  /** Statements in flight at once; what arrives meanwhile waits and goes in the next one. Default 4. */
  writesInFlight?: number;
  /** Events in one statement at most. Default 100. */
  maxBatch?: number;
}

interface Waiting {
  event: QueuedOrderEvent;
  resolve: (outcome: QueueOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * The intake's one durable write per order webhook, grouped: deliveries that arrive while earlier writes are in
 * flight are written together in one statement and one commit, and each is answered once that commit is done.
 * Alone, a delivery is written at once (no added wait); in a burst, hundreds of deliveries cost a few statements
 * instead of hundreds, so they do not queue for database connections and commits. Durability is unchanged: no
 * delivery is answered before its own row is committed.
 */
export class OrderEventWriter {
  private readonly writesInFlight: number;
  private readonly maxBatch: number;
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Database,
    private readonly claimLeaseMs: number,
    options: OrderEventWriterOptions = {},
  ) {
    this.writesInFlight = options.writesInFlight ?? 4;
    this.maxBatch = options.maxBatch ?? 100;
  }

  write(event: QueuedOrderEvent): Promise<QueueOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.writesInFlight && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.writeBatch(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The oldest waiting events, one per event id (a redelivery of an event in this batch goes in the next). */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const ids = new Set<string>();
    const rest: Waiting[] = [];
    for (const entry of this.waiting) {
      if (batch.length < this.maxBatch && !ids.has(entry.event.eventId)) {
        ids.add(entry.event.eventId);
        batch.push(entry);
      } else {
        rest.push(entry);
      }
    }
    this.waiting = rest;
    return batch;
  }

  private async writeBatch(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await queueOrderEvents(this.db, batch.map((entry) => entry.event), this.claimLeaseMs);
      batch.forEach((entry, i) => entry.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One event the database refuses must not fail the others: each is written alone, and only it fails.
      for (const entry of batch) {
        try {
          entry.resolve((await queueOrderEvents(this.db, [entry.event], this.claimLeaseMs))[0]!);
        } catch (alone) {
          entry.reject(alone);
        }
      }
    }
  }
}
