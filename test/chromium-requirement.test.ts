import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, ensureChromium } from './support/console-browser.js';

describe('the browser tests need Chromium', () => {
  it('fail, naming the command that fixes it, where Chromium is missing and cannot be installed', async () => {
    await expect(ensureChromium('/nonexistent/chromium', false)).rejects.toThrow(
      'Chromium is needed at /nonexistent/chromium. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).',
    );
  });

  it('find the installed one', async () => {
    expect(await ensureChromium()).toBe(CHROMIUM_PATH);
  });
});
