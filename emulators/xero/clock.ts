/** Wall clock the emulator can be moved forward on: token expiry and the day's quota roll over without waiting. */
export class EmulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
