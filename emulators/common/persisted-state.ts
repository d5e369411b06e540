import { deserialize, serialize } from 'node:v8';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What of an emulator's in-memory objects outlives a restart of the demo: named fields of live objects (their
 * accounts, tokens, orders, documents). Clocks, limits, timers and faults are not kept: they start afresh.
 */
export type PersistedParts = Record<string, { target: object; fields: readonly string[] }>;

/** Every data field of an object except these (references to shared clocks or settings, which stay the live ones). */
export function dataFields(target: object, except: readonly string[] = []): { target: object; fields: string[] } {
  const fields = Object.entries(target)
    .filter(([name, value]) => !except.includes(name) && typeof value !== 'function')
    .map(([name]) => name);
  return { target, fields };
}

/**
 * Writes the emulators' parts to one file (node:v8 serialization: Maps, Sets, bigints and objects shared between
 * two maps stay what they were). Written to a temporary file first, so a crash mid-write keeps the last one.
 */
export async function savePersistedParts(file: string, emulators: Record<string, PersistedParts>): Promise<void> {
  const snapshot: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [emulator, parts] of Object.entries(emulators)) {
    snapshot[emulator] = {};
    for (const [name, part] of Object.entries(parts)) {
      snapshot[emulator]![name] = Object.fromEntries(part.fields.map((field) => [field, (part.target as Record<string, unknown>)[field]]));
    }
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, serialize(snapshot));
  await rename(`${file}.tmp`, file);
}

/** Puts saved fields back into the live objects (fresh emulators started as before). False when nothing was saved. */
export async function restorePersistedParts(file: string, emulators: Record<string, PersistedParts>): Promise<boolean> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const snapshot = deserialize(bytes) as Record<string, Record<string, Record<string, unknown>>>;
  for (const [emulator, parts] of Object.entries(emulators)) {
    for (const [name, part] of Object.entries(parts)) {
      const saved = snapshot[emulator]?.[name];
      if (saved) Object.assign(part.target, saved);
    }
  }
  return true;
}
