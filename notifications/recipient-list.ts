/** Raised instead of sending when an email would reach nobody: an alert must never vanish quietly. */
export class NoRecipientsError extends Error {
  override readonly name = 'NoRecipientsError';
  constructor(subject: string) {
    super(`Refusing to send "${subject}": no recipients. Configure alert recipients for this integration.`);
  }
}

export class InvalidRecipientError extends Error {
  override readonly name = 'InvalidRecipientError';
  constructor(readonly recipient: string) {
    super(`Not an email address: ${JSON.stringify(recipient)}. Use "name@example.com" or "Name <name@example.com>".`);
  }
}

// One address per entry: a stray comma would otherwise split into recipients nobody configured.
const BARE_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const NAMED_ADDRESS = /^[^<>,;@]*<([^<>]+)>$/;

/**
 * Trims, checks and de-duplicates (case-insensitively) a recipient list as stored for an integration.
 * Throws NoRecipientsError when nothing is left and InvalidRecipientError on the first malformed entry.
 */
export function normalizeRecipients(recipients: readonly string[], subject: string): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of recipients) {
    const entry = raw.trim();
    if (entry === '') continue;
    const address = NAMED_ADDRESS.exec(entry)?.[1]?.trim() ?? entry;
    if (!BARE_ADDRESS.test(address)) throw new InvalidRecipientError(raw);
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(entry);
  }
  if (result.length === 0) throw new NoRecipientsError(subject);
  return result;
}
