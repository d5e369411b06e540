import type { PlatformEnv } from '../platforms/platform-registration.js';
import { ConfigError } from './config-error.js';

/** The environment as platforms read their settings: a missing or malformed value is a ConfigError pointing to the README. */
export function platformEnv(get: (name: string) => string | undefined): PlatformEnv {
  const fail = (message: string): never => {
    throw new ConfigError(message);
  };
  return {
    get,
    required(name) {
      const value = get(name);
      return value ? value : fail(`${name} is not set. See "Configuration" in README.md.`);
    },
    origin(name, text) {
      try {
        return new URL(text).origin;
      } catch {
        return fail(`${name}: ${JSON.stringify(text)} is not a URL (expected e.g. http://127.0.0.1:4101)`);
      }
    },
    fail,
  };
}
