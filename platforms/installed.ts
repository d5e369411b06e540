import type { AccountingRegistration, PlatformEnv, PlatformRegistration, SharedPlatformServices } from './platform-registration.js';
import type { Platform } from './platform.js';
import { qbdRegistration } from './qbd/registration.js';
import { qboRegistration } from './qbo/registration.js';
import { PlatformRegistry } from './registry.js';
import { CONNECT_PAGE } from '../security/connect-link.js';
import { shopifyRegistration } from './shopify/registration.js';
import { squarespaceRegistration } from './squarespace/registration.js';
import { wooCommerceRegistration } from './woocommerce/registration.js';
import { xeroRegistration } from './xero/registration.js';

/**
 * The platforms this build offers: one line each (platforms/README.md). Order matters only for configuration:
 * their secrets are read in this order, so the first missing one is the one named.
 */
export const INSTALLED_PLATFORMS = [shopifyRegistration, qboRegistration, xeroRegistration, qbdRegistration, wooCommerceRegistration, squarespaceRegistration] as const;

type Installed = (typeof INSTALLED_PLATFORMS)[number];

/** Each installed platform's settings, under its id: `config.platforms.qbo.environment`. */
export type PlatformConfigs = { [R in Installed as R['id']]: Parameters<R['create']>[0] };

/** Each installed platform as built, under its id, with its own type (`shopify.verifyWebhook`). */
export type InstalledPlatforms = { [R in Installed as R['id']]: ReturnType<R['create']> };

const registrations: readonly PlatformRegistration[] = INSTALLED_PLATFORMS;

/** Every platform's settings from the environment: all secrets first, then the emulator wiring of each. */
export function platformConfigsFromEnv(env: PlatformEnv): PlatformConfigs {
  const configs = new Map(registrations.map((registration) => [registration.id, registration.configFromEnv(env)] as const));
  for (const registration of registrations) {
    if (registration.emulatorFromEnv) configs.set(registration.id, registration.emulatorFromEnv(env, configs.get(registration.id)));
  }
  return Object.fromEntries(configs) as PlatformConfigs;
}

/** Builds every installed platform from its settings, and the registry the engine looks them up in. */
export function createInstalledPlatforms(configs: PlatformConfigs, shared: SharedPlatformServices): { registry: PlatformRegistry; byId: InstalledPlatforms } {
  const byId = Object.fromEntries(
    registrations.map((registration) => {
      const platform: Platform = registration.create((configs as Record<string, unknown>)[registration.id], shared);
      // Integrations store the id: a platform built under another id than it registered would find none of its own.
      if (platform.id !== registration.id || platform.role !== registration.role) {
        throw new Error(`Platform "${registration.id}" (${registration.role}) built as "${platform.id}" (${platform.role})`);
      }
      return [registration.id, platform];
    }),
  );
  return { registry: new PlatformRegistry(Object.values(byId)), byId: byId as InstalledPlatforms };
}

/** The registration of an installed platform, or null (an integration of a platform this build no longer offers). */
export function installedPlatform(id: string): PlatformRegistration | null {
  return registrations.find((registration) => registration.id === id) ?? null;
}

/** What a ledger's documents are called ("sales receipt"); "document" for a platform this build does not know. */
export function ledgerDocumentKind(platformId: string): string {
  const registration = installedPlatform(platformId);
  return registration?.role === 'accounting' ? (registration as AccountingRegistration).documentKind : 'document';
}

/** What a ledger books refunds and cancellations as ("refund receipt"); null where it books none yet. */
export function ledgerRefundDocumentKind(platformId: string): string | null {
  const registration = installedPlatform(platformId);
  return registration?.role === 'accounting' ? ((registration as AccountingRegistration).refundDocumentKind ?? null) : null;
}

/** Where a signed connect link for this platform's integrations leads, under /integrations/<id>/: "connect" (OAuth) unless it has its own page. */
export function connectPageOf(platformId: string): string {
  return installedPlatform(platformId)?.connectPage ?? CONNECT_PAGE;
}

/** For the API's description: "'shopify' (Shopify), 'qbo' (QuickBooks Online)". */
export function describeInstalledPlatforms(): string {
  return registrations.map((registration) => `'${registration.id}' (${registration.displayName})`).join(', ');
}

/** For the API's description: "Shopify: { shop }" for each platform that needs its account before connecting. */
export function describeAccountsBeforeConnect(): string {
  const needed = registrations.filter((registration) => registration.accountBeforeConnect?.length);
  return needed.map((registration) => `${registration.displayName}: { ${registration.accountBeforeConnect!.join(', ')} }`).join('; ') || 'none';
}

/** What a person calls an account field ("company" for realmId), across the installed platforms; the key itself otherwise. */
export function accountFieldLabel(field: string): string {
  for (const registration of registrations) {
    const label = registration.accountLabels[field];
    if (label) return label;
  }
  return field;
}
