import { browserUrlFor } from '../../platforms/shopify/index.js';

/** What a browser shows after following redirects. */
export interface BrowserPage {
  status: number;
  url: string;
  body: string;
}

/**
 * A minimal browser for our connect pages: follows redirects (mapping shop hosts to the emulator), and submits
 * the page's one form as a person pressing its button would. `headers` go to `ownOrigin` only.
 */
export class TestBrowser {
  constructor(
    private readonly ownOrigin: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  open(url: string): Promise<BrowserPage> {
    return this.follow(url, { method: 'GET' });
  }

  /** Presses the button of the page's form (method="post", hidden inputs). */
  async submit(page: BrowserPage): Promise<BrowserPage> {
    const form = /<form method="post" action="([^"]*)">(.*?)<\/form>/s.exec(page.body);
    if (!form) throw new Error(`no form on ${page.url}: ${page.body.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.set(unescape(input[1]!), unescape(input[2]!));
    return this.follow(new URL(unescape(form[1]!), page.url).toString(), {
      method: 'POST',
      body: fields.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  private async follow(url: string, init: RequestInit): Promise<BrowserPage> {
    let request = init;
    for (let hop = 0; hop < 8; hop++) {
      const ours = new URL(url).origin === this.ownOrigin;
      const response = await fetch(browserUrlFor(url), {
        ...request,
        redirect: 'manual',
        headers: { ...(request.headers as Record<string, string> | undefined), ...(ours ? this.headers : {}) },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url).toString();
        request = { method: 'GET' }; // 302/303 after a POST: the browser GETs the new place
        continue;
      }
      return { status: response.status, url, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

function unescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
