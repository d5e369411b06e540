import type { RouteOption } from './platform.js';

/** A route option refused: the sentence names the option and what it accepts. */
export class RouteOptionError extends Error {
  override readonly name = 'RouteOptionError';
}

/**
 * Checks a route's choices against the options its ledger declares: an unknown name or a value outside the allowed
 * ones throws `RouteOptionError` naming what the ledger accepts. `null` removes a choice (back to the default).
 */
export function mergeRouteOptions(
  declared: readonly RouteOption[],
  ledgerName: string,
  current: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string | null>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    const option = declared.find((candidate) => candidate.name === name);
    if (!option) {
      const accepted = declared.length > 0 ? `it takes ${declared.map((candidate) => `"${candidate.name}"`).join(', ')}` : 'it takes none';
      throw new RouteOptionError(`A route into ${ledgerName} has no option "${name}": ${accepted}.`);
    }
    if (value === null) {
      delete merged[name];
      continue;
    }
    if (option.freeText) {
      const text = value.trim();
      if (text === '' || text.length > option.freeText.maxLength) {
        throw new RouteOptionError(`${name} for ${ledgerName} takes a name of 1 to ${option.freeText.maxLength} characters (${option.description}); null clears it.`);
      }
      merged[name] = text;
      continue;
    }
    if (!option.allowedValues.includes(value)) {
      throw new RouteOptionError(
        `"${value}" is not a value of ${name} for ${ledgerName}: use one of ${option.allowedValues.map((allowed) => `"${allowed}"`).join(', ')} (${option.description}).`,
      );
    }
    merged[name] = value;
  }
  return merged;
}

/** What the route books with: its own choices, the ledger's defaults for the rest (stale choices dropped). */
export function effectiveRouteOptions(declared: readonly RouteOption[], chosen: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    declared.map((option) => {
      const value = chosen[option.name];
      const valid = value !== undefined && (option.freeText ? value !== '' : option.allowedValues.includes(value));
      return [option.name, valid ? value : option.defaultValue];
    }),
  );
}
