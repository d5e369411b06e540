import type { ConsolePagePlugin } from '../console-plugin.js';
import { html } from '../html.js';
import { sendPage, NAV } from '../layout.js';
import { CONSOLE_PREFIX } from '../console-paths.js';

/** Sections whose pages are not built yet: the nav still leads somewhere that says so. Remove an entry when its page lands. */
const COMING: readonly (typeof NAV)[number]['id'][] = [];

export const comingPages: ConsolePagePlugin = () => async (app) => {
  for (const id of COMING) {
    const section = NAV.find((item) => item.id === id)!;
    app.get(section.path, async (request, reply) =>
      sendPage(request, reply, {
        title: section.label,
        nav: id,
        body: html`<p>This page is not built yet. The operator API has it meanwhile (see <a href="/openapi.json">the API description</a>).</p>`,
      }),
    );
  }
  // Any other console path (an email link to an API route without a page yet): a page that says so, not JSON.
  app.get(`${CONSOLE_PREFIX}/*`, async (request, reply) =>
    sendPage(
      request,
      reply,
      { title: 'No such page', body: html`<p>The console has no page at ${request.url} yet. <a href="${CONSOLE_PREFIX}/integrations">Integrations</a></p>` },
      404,
    ),
  );
};
