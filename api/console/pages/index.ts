import type { ConsolePagePlugin } from '../console-plugin.js';
import { integrationsPages } from './integrations-page.js';
import { orderPage } from './order-page.js';
import { comingPages } from './coming-pages.js';

/** Every console page, registered behind sign-in and CSRF. Add a page module here (api/console/README.md). */
export const consolePages: readonly ConsolePagePlugin[] = [integrationsPages, orderPage, comingPages];
