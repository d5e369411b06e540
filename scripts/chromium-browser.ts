// Debian's chromium package, driven by playwright-core: for the console's browser tests and its screenshots.
// Nothing is downloaded at run time.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTALL_CHROMIUM = 'sudo apt-get install -y chromium';

/**
 * The browser, installed where this machine lets us (root with apt-get), else a failure naming the command
 * that fixes it: whoever needs the browser is never skipped silently.
 */
export async function ensureChromium(
  path = CHROMIUM_PATH,
  canInstall = path === '/usr/bin/chromium' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'),
): Promise<string> {
  if (existsSync(path)) return path;
  if (!canInstall) throw new Error(`Chromium is needed at ${path}. Install it with: ${INSTALL_CHROMIUM} (or set CHROMIUM_PATH).`);
  try {
    // The lock timeout waits for another apt run (an image still installing) instead of failing at once.
    await promisify(execFile)('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', 'chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`Installing Chromium failed (${(error as Error).message.split('\n')[0]}). Install it with: ${INSTALL_CHROMIUM}`);
  }
  if (!existsSync(path)) throw new Error(`apt-get installed chromium but ${path} is missing. Install it with: ${INSTALL_CHROMIUM}`);
  return path;
}

export interface ChromiumSession {
  context: BrowserContext;
  /** A new tab in the same profile (cookies are shared). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Chromium on a fresh profile (its own user-data dir, removed at close). */
export async function openChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<ChromiumSession> {
  const executablePath = await ensureChromium();
  const userDataDir = await mkdtemp(join(tmpdir(), 'ledgerbridge-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Fills the console's sign-in form on `page` and submits it, as a person would. */
export async function signInOn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('domcontentloaded');
}
