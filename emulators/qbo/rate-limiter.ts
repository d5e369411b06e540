import type { EmulatorClock } from './clock.js';
import type { ResolvedQboSettings } from './options.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** QBO's per-realm request limits: N per second and M per minute, sliding windows. */
export class RealmRateLimiter {
  private readonly history = new Map<string, number[]>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly settings: ResolvedQboSettings,
  ) {}

  /** Counts the request when it is allowed; throttled requests do not use up the window. */
  admit(realmId: string): RateDecision {
    const limits = this.settings.rateLimits;
    const now = this.clock.now();
    const recent = (this.history.get(realmId) ?? []).filter((at) => at > now - 60_000);
    this.history.set(realmId, recent);
    const lastSecond = recent.filter((at) => at > now - 1000);
    if (lastSecond.length >= limits.perSecond) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((lastSecond[0]! + 1000 - now) / 1000)) };
    }
    if (recent.length >= limits.perMinute) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000)) };
    }
    recent.push(now);
    return { allowed: true };
  }
}
