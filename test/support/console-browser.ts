// The console's browser tests use the same Chromium launcher as the screenshots script.
export { CHROMIUM_PATH, ensureChromium, openChromium as openConsoleBrowser, signInOn as signIn, type ChromiumSession as ConsoleBrowser } from '../../scripts/chromium-browser.js';
