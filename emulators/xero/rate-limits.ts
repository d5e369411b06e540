import type { EmulatorClock } from './clock.js';
import type { ResolvedXeroSettings } from './options.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface RemainingHeaders {
  'X-DayLimit-Remaining': string;
  'X-MinLimit-Remaining': string;
  'X-AppMinLimit-Remaining': string;
}

export type LimitDecision =
  | { allowed: true; headers: RemainingHeaders }
  | { allowed: false; problem: 'minute' | 'day' | 'concurrent' | 'appminute'; retryAfterSeconds: number | null; headers: RemainingHeaders };

/**
 * Calls counted in one window: `fixed` windows start with their first call and reset whole (notes: windows reset
 * at different times per tenant); `rolling` windows count the calls of the last minute or day (older Xero pages).
 */
class CallWindow {
  private calls: number[] = [];
  private startMs = 0;

  constructor(
    private readonly lengthMs: number,
    private readonly kind: () => 'fixed' | 'rolling',
  ) {}

  count(now: number): number {
    this.expire(now);
    return this.calls.length;
  }

  add(now: number, times = 1): void {
    this.expire(now);
    if (this.calls.length === 0) this.startMs = now;
    for (let i = 0; i < times; i++) this.calls.push(now);
  }

  /** Seconds until one more call fits. */
  secondsUntilRoom(now: number): number {
    const until = this.kind() === 'fixed' ? this.startMs + this.lengthMs : (this.calls[0] ?? now) + this.lengthMs;
    return Math.max(1, Math.ceil((until - now) / 1000));
  }

  private expire(now: number): void {
    if (this.kind() === 'fixed') {
      if (this.calls.length > 0 && now - this.startMs >= this.lengthMs) this.calls = [];
    } else {
      let first = 0;
      while (first < this.calls.length && now - this.calls[first]! >= this.lengthMs) first++;
      if (first > 0) this.calls = this.calls.slice(first);
    }
  }
}

/** Xero's limits per tenant (minute, day, concurrent) and the app-wide minute limit. */
export class XeroRateLimits {
  private readonly minute = new Map<string, CallWindow>();
  private readonly day = new Map<string, CallWindow>();
  private readonly appMinute: CallWindow;
  private readonly inProgress = new Map<string, number>();
  private readonly kind = () => this.settings.rateWindows;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly settings: ResolvedXeroSettings,
  ) {
    this.appMinute = new CallWindow(MINUTE_MS, this.kind);
  }

  /** Counts the call when it is let through; refused calls are not counted [U]. */
  admit(tenantId: string): LimitDecision {
    const now = this.clock.now();
    const limits = this.settings.rateLimits;
    const minute = this.window(this.minute, tenantId, MINUTE_MS);
    const day = this.window(this.day, tenantId, DAY_MS);
    const headers = (): RemainingHeaders => ({
      'X-DayLimit-Remaining': String(Math.max(0, limits.perDay - day.count(now))),
      'X-MinLimit-Remaining': String(Math.max(0, limits.perMinute - minute.count(now))),
      'X-AppMinLimit-Remaining': String(Math.max(0, limits.appPerMinute - this.appMinute.count(now))),
    });
    if (day.count(now) >= limits.perDay) return { allowed: false, problem: 'day', retryAfterSeconds: day.secondsUntilRoom(now), headers: headers() };
    if (this.appMinute.count(now) >= limits.appPerMinute) {
      return { allowed: false, problem: 'appminute', retryAfterSeconds: this.appMinute.secondsUntilRoom(now), headers: headers() };
    }
    if (minute.count(now) >= limits.perMinute) return { allowed: false, problem: 'minute', retryAfterSeconds: minute.secondsUntilRoom(now), headers: headers() };
    if ((this.inProgress.get(tenantId) ?? 0) >= limits.concurrent) return { allowed: false, problem: 'concurrent', retryAfterSeconds: null, headers: headers() };
    minute.add(now);
    day.add(now);
    this.appMinute.add(now);
    return { allowed: true, headers: headers() };
  }

  enter(tenantId: string): void {
    this.inProgress.set(tenantId, (this.inProgress.get(tenantId) ?? 0) + 1);
  }

  leave(tenantId: string): void {
    this.inProgress.set(tenantId, Math.max(0, (this.inProgress.get(tenantId) ?? 0) - 1));
  }

  /** Uses up the tenant's day (the quota test does not make 5,000 calls). */
  spendDay(tenantId: string, calls: number): void {
    this.window(this.day, tenantId, DAY_MS).add(this.clock.now(), calls);
  }

  private window(windows: Map<string, CallWindow>, tenantId: string, lengthMs: number): CallWindow {
    let window = windows.get(tenantId);
    if (!window) {
      window = new CallWindow(lengthMs, this.kind);
      windows.set(tenantId, window);
    }
    return window;
  }
}
