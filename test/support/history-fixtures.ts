import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import type { temporal as ProtoTypes } from '@temporalio/proto';

// @temporalio/proto is CommonJS: its namespace comes through the default export under Node's ESM loader.
const { temporal } = proto;

export const historiesDir = fileURLToPath(new URL('../histories/', import.meta.url));

// historyToJSON/historyFromJSON of @temporalio/common 1.24 throw "type must be a Type" here: two protobufjs
// copies are installed (common's own and proto's). protobufjs's object form round-trips through either.
const History = temporal.api.history.v1.History;

export function historyToFixture(history: ProtoTypes.api.history.v1.IHistory): string {
  return JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1);
}

export function historyFromFixture(text: string): ProtoTypes.api.history.v1.History {
  return History.fromObject(JSON.parse(text));
}

/**
 * Saves a history as a replay fixture when RECORD_HISTORIES is set (`RECORD_HISTORIES=1 npx vitest run …`);
 * committed fixtures then guard later workflow changes against non-determinism.
 */
export async function recordFixtureIfAsked(name: string, history: ProtoTypes.api.history.v1.IHistory): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  await writeFile(join(historiesDir, `${name}.json`), historyToFixture(history));
}

/** Every committed fixture, with the workflow id it ran under (the file name, as ids feed determinism). */
export async function loadFixtures(): Promise<{ name: string; history: ProtoTypes.api.history.v1.History }[]> {
  const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => ({ name: file.replace(/\.json$/, ''), history: historyFromFixture(await readFile(join(historiesDir, file), 'utf8')) })));
}
