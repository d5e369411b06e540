/** A missing or malformed setting, said before anything starts (README: Configuration). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
