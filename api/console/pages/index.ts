import type { ConsolePagePlugin } from '../console-plugin.js';
import { integrationsPages } from './integrations-page.js';
import { orderPage } from './order-page.js';
import { ordersPage } from './orders-page.js';
import { mappingsPage } from './mappings-page.js';
import { replayPage } from './replay-page.js';
import { payoutsPage } from './payouts-page.js';
import { comingPages } from './coming-pages.js';
import { storeSyncPages } from './store-sync-section.js';
import { storeCardPages } from './store-card.js';
import { auditsPage } from './audits-page.js';

/** Every console page, registered behind sign-in and CSRF. Add a page module here (api/console/README.md). */
export const consolePages: readonly ConsolePagePlugin[] = [integrationsPages, storeSyncPages, orderPage, ordersPage, mappingsPage, replayPage, storeCardPages, payoutsPage, auditsPage, comingPages];
