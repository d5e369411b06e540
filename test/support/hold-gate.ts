/** A gate a test closes to hold calls where it wants them held (a health check, a sweep), and opens to let them on. */
export class HoldGate {
  /** Calls that reached the gate, held or not. */
  entered = 0;
  private held = false;
  /** Every call held: opening lets them all on, not only the last. */
  private waiting: (() => void)[] = [];

  hold(): void {
    this.held = true;
  }

  open(): void {
    this.held = false;
    for (const release of this.waiting.splice(0)) release();
  }

  /** Counts the call, then waits while the gate is held. */
  async pass(): Promise<void> {
    this.entered++;
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}
