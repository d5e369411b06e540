import type { EmulatorClock } from './clock.js';
import type { ResolvedXeroSettings } from './options.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A fixed window that starts with its first call (Xero: windows reset at different times per tenant). */
interface Window {
  startMs: number;
  count: number;
}

export interface RemainingHeaders {
  'X-DayLimit-Remaining': string;
  'X-MinLimit-Remaining': string;
  'X-AppMinLimit-Remaining': string;
}

export type LimitDecision =
  | { allowed: true; headers: RemainingHeaders }
  | { allowed: false; problem: 'minute' | 'day' | 'concurrent' | 'appminute'; retryAfterSeconds: number | null; headers: RemainingHeaders };

/** Xero's limits per tenant (minute, day, concurrent) and the app-wide minute limit. */
export class XeroRateLimits {
  private readonly minute = new Map<string, Window>();
  private readonly day = new Map<string, Window>();
  private appMinute: Window = { startMs: 0, count: 0 };
  private readonly inProgress = new Map<string, number>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly settings: ResolvedXeroSettings,
  ) {}

  /** Counts the call when it is let through; refused calls are not counted [U]. */
  admit(tenantId: string): LimitDecision {
    const now = this.clock.now();
    const limits = this.settings.rateLimits;
    const minute = this.current(this.minute, tenantId, MINUTE_MS, now);
    const day = this.current(this.day, tenantId, DAY_MS, now);
    if (now - this.appMinute.startMs >= MINUTE_MS) this.appMinute = { startMs: now, count: 0 };
    const headers = (): RemainingHeaders => ({
      'X-DayLimit-Remaining': String(Math.max(0, limits.perDay - day.count)),
      'X-MinLimit-Remaining': String(Math.max(0, limits.perMinute - minute.count)),
      'X-AppMinLimit-Remaining': String(Math.max(0, limits.appPerMinute - this.appMinute.count)),
    });
    const until = (window: Window, length: number) => Math.max(1, Math.ceil((window.startMs + length - now) / 1000));
    if (day.count >= limits.perDay) return { allowed: false, problem: 'day', retryAfterSeconds: until(day, DAY_MS), headers: headers() };
    if (this.appMinute.count >= limits.appPerMinute) {
      return { allowed: false, problem: 'appminute', retryAfterSeconds: until(this.appMinute, MINUTE_MS), headers: headers() };
    }
    if (minute.count >= limits.perMinute) return { allowed: false, problem: 'minute', retryAfterSeconds: until(minute, MINUTE_MS), headers: headers() };
    if ((this.inProgress.get(tenantId) ?? 0) >= limits.concurrent) return { allowed: false, problem: 'concurrent', retryAfterSeconds: null, headers: headers() };
    minute.count++;
    day.count++;
    this.appMinute.count++;
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
    this.current(this.day, tenantId, DAY_MS, this.clock.now()).count += calls;
  }

  private current(windows: Map<string, Window>, tenantId: string, lengthMs: number, now: number): Window {
    let window = windows.get(tenantId);
    if (!window || now - window.startMs >= lengthMs) {
      window = { startMs: now, count: 0 };
      windows.set(tenantId, window);
    }
    return window;
  }
}
