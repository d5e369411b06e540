/** Shopify's GraphQL leaky bucket for one app on one shop: it must hold the requested cost before a query runs. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BucketSettings {
  maximumAvailable: number;
  restoreRate: number;
}

export const STANDARD_BUCKET: BucketSettings = { maximumAvailable: 2000, restoreRate: 100 };

export class CostBucket {
  private available: number;
  private updatedAtMs = Date.now();

  constructor(private settings: BucketSettings = STANDARD_BUCKET) {
    this.available = settings.maximumAvailable;
  }

  status(): ThrottleStatus {
    this.restore();
    return {
      maximumAvailable: this.settings.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.settings.restoreRate,
    };
  }

  /** Takes `cost` points when the bucket holds them; false means the query is throttled. */
  tryTake(cost: number): boolean {
    this.restore();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back the unused part of a query's requested cost. */
  refund(points: number): void {
    this.available = Math.min(this.settings.maximumAvailable, this.available + Math.max(0, points));
  }

  /** For tests and demos: drain or resize the bucket. */
  set(patch: Partial<BucketSettings> & { currentlyAvailable?: number }): ThrottleStatus {
    this.restore();
    this.settings = {
      maximumAvailable: patch.maximumAvailable ?? this.settings.maximumAvailable,
      restoreRate: patch.restoreRate ?? this.settings.restoreRate,
    };
    this.available = Math.min(this.settings.maximumAvailable, patch.currentlyAvailable ?? this.available);
    return this.status();
  }

  private restore(): void {
    const now = Date.now();
    this.available = Math.min(
      this.settings.maximumAvailable,
      this.available + ((now - this.updatedAtMs) / 1000) * this.settings.restoreRate,
    );
    this.updatedAtMs = now;
  }
}
