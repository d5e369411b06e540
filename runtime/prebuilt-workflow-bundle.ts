import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` writes the workflow bundle, beside the compiled JavaScript (dist/). */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * The prebuilt workflow bundle a worker should load: WORKFLOW_BUNDLE_PATH when set, else dist/workflow-bundle.js
 * when this code runs compiled from dist/. Run from the TypeScript sources, none: the worker bundles
 * workflows/ at start, so a stale bundle never runs newer sources.
 */
export function prebuiltWorkflowBundle(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.WORKFLOW_BUNDLE_PATH) {
    if (!existsSync(env.WORKFLOW_BUNDLE_PATH)) throw new Error(`WORKFLOW_BUNDLE_PATH=${env.WORKFLOW_BUNDLE_PATH} does not exist; run npm run build`);
    return env.WORKFLOW_BUNDLE_PATH;
  }
  if (!import.meta.url.endsWith('.js')) return undefined;
  const beside = fileURLToPath(new URL(`../${WORKFLOW_BUNDLE_FILE}`, import.meta.url));
  if (!existsSync(beside)) throw new Error(`${beside} is missing: build with npm run build (tsc and the workflow bundle together)`);
  return beside;
}
