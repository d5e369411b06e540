/** A gate a test closes to hold calls where it wants them held (a health check, a sweep), and opens to let them on. */
export class HoldGate {
  /** Calls that reached the gate, held or not. */
  entered = 0;
  private held = false;
  private release: (() => void) | null = null;

  hold(): void {
    this.held = true;
  }

  open(): void {
    this.held = false;
    this.release?.();
  }

  /** Counts the call, then waits while the gate is held. */
  async pass(): Promise<void> {
    this.entered++;
    if (this.held) await new Promise<void>((resolve) => (this.release = resolve));
  }
}
