import { fileURLToPath } from 'node:url';

/** The module the worker bundles: every workflow, nothing else. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
