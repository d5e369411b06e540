import { fileURLToPath } from 'node:url';

/**
 * The module (DataConverter.failureConverterPath) whose failure converter moves every failure's message and
 * stack trace into a payload, so the payload codec encrypts them. Clients, workers and the workflow bundle
 * (bundleWorkflowCode) all need it; the file sits beside this one in the sources and in dist/ (scripts/build.ts).
 */
export const failureConverterPath = fileURLToPath(new URL('./encoded-failure-converter.cjs', import.meta.url));
