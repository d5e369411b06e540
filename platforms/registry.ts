import type { AccountingPlatform, CommercePlatform, Platform } from './platform.js';

/** The platforms this deployment can talk to, by id. */
export class PlatformRegistry {
  private readonly byId = new Map<string, Platform>();

  constructor(platforms: Platform[]) {
    for (const platform of platforms) this.byId.set(platform.id, platform);
  }

  get(id: string): Platform {
    const platform = this.byId.get(id);
    if (!platform) throw new Error(`No platform "${id}" is configured in this deployment`);
    return platform;
  }

  /** What the platform is for ('commerce' or 'accounting'); null when this deployment does not know it. */
  roleOf(id: string): Platform['role'] | null {
    return this.byId.get(id)?.role ?? null;
  }

  commerce(id: string): CommercePlatform {
    const platform = this.get(id);
    if (platform.role !== 'commerce') throw new Error(`"${id}" is not a commerce platform`);
    return platform;
  }

  accounting(id: string): AccountingPlatform {
    const platform = this.get(id);
    if (platform.role !== 'accounting') throw new Error(`"${id}" is not an accounting platform`);
    return platform;
  }

  all(): Platform[] {
    return [...this.byId.values()];
  }
}
