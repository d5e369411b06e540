import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** The parts of a compose service that running it without Docker needs. */
export interface ComposeService {
  image?: string;
  environment?: Record<string, string | number | boolean>;
  volumes?: string[];
  command?: string[] | string;
}

/** The services of a compose file, its `<<:` merge keys applied as Docker Compose applies them. */
export async function loadComposeServices(path: string): Promise<Record<string, ComposeService>> {
  const compose = parse(await readFile(path, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  return compose.services;
}

/**
 * A service's environment as Docker Compose hands it to the container: `${NAME}`, `${NAME:-default}` and
 * `${NAME:?message}` interpolated from `variables` (what a `.env` file gives compose). A missing required variable
 * is an error, as compose refuses to start.
 */
export function serviceEnvironment(service: ComposeService, variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(String(value), variables)]));
}

function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g, (_, name: string, operator: string | undefined, argument: string | undefined) => {
    const given = variables[name];
    if (given !== undefined && given !== '') return given;
    if (operator === ':-') return argument ?? '';
    if (operator === ':?') throw new Error(`compose variable ${name} is required: ${argument}`);
    return '';
  });
}
