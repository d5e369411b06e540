import type { PlatformMark } from '../../../platforms/platform.js';
import type { PlatformRegistry } from '../../../platforms/registry.js';
import { html, type SafeHtml } from '../html.js';

const FALLBACK_COLOUR = '#5f6b7a';

/** A platform as the console shows it: its mark (letters on its colour, drawn here) and its name in words. */
export function platformLabel(platforms: PlatformRegistry, platformId: string): SafeHtml {
  let name = platformId;
  let mark: PlatformMark | undefined;
  try {
    const platform = platforms.get(platformId);
    name = platform.displayName;
    mark = platform.mark;
  } catch {
    // A platform this deployment no longer offers: its id, on grey.
  }
  return html`<span class="platform">${platformMark(mark ?? { letters: name.slice(0, 1).toUpperCase(), colour: FALLBACK_COLOUR })}<span class="platform-name">${name}</span></span>`;
}

/** The mark alone, hidden from screen readers: the name beside it says the same. */
function platformMark(mark: PlatformMark): SafeHtml {
  const colour = /^#[0-9a-f]{6}$/i.test(mark.colour) ? mark.colour : FALLBACK_COLOUR;
  const letters = mark.letters.slice(0, 2);
  return html`<svg class="platform-mark" aria-hidden="true" focusable="false" viewBox="0 0 32 32" width="24" height="24"><rect width="32" height="32" rx="7" fill="${colour}"/><text x="16" y="${letters.length > 1 ? 20.5 : 22}" text-anchor="middle" font-family="system-ui, sans-serif" font-weight="700" font-size="${letters.length > 1 ? 13 : 17}" fill="#ffffff">${letters}</text></svg>`;
}
