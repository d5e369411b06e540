// `npm run build`: the production image's code. TypeScript compiled to dist/ (plain JavaScript the
// entry points run with `node`, no tsx at start), the migrations beside it, and the workflow bundle
// prebuilt to dist/workflow-bundle.js so a worker starts without bundling.
import { execFile } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../runtime/project-root.js';
import { WORKFLOW_BUNDLE_FILE } from '../runtime/prebuilt-workflow-bundle.js';
import { workflowsPath } from '../runtime/workflows-path.js';
import { failureConverterPath } from '../security/failure-converter-path.js';
import { quietBundlerLogger } from './quiet-bundler-logger.js';

/** Builds into `outDir` (relative to the project root; it must stay inside it so the compiled code finds package.json). */
export async function build(outDir = 'dist', log: (line: string) => void = console.log): Promise<string> {
  const out = resolve(projectRoot, outDir);
  if (!out.startsWith(projectRoot + '/')) throw new Error(`build output ${out} must be inside ${projectRoot}`);
  await rm(out, { recursive: true, force: true });
  const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', join(projectRoot, 'tsconfig.build.json'), '--outDir', out], { cwd: projectRoot });
  log(`compiled TypeScript to ${out}`);
  await cp(join(projectRoot, 'db', 'migrations'), join(out, 'db', 'migrations'), { recursive: true });
  // The console's stylesheet and script, read at start by api/console/console-assets.ts.
  await cp(join(projectRoot, 'api', 'console', 'assets'), join(out, 'api', 'console', 'assets'), { recursive: true });
  // Loaded with require() by the Temporal SDK, so it is CommonJS, not compiled TypeScript (security/failure-converter-path.ts).
  await cp(failureConverterPath, join(out, 'security', basename(failureConverterPath)));
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietBundlerLogger });
  await writeFile(join(out, WORKFLOW_BUNDLE_FILE), code);
  log(`wrote the workflow bundle to ${join(out, WORKFLOW_BUNDLE_FILE)} (${Math.round(code.length / 1024)} KiB)`);
  return out;
}


if (import.meta.url === `file://${process.argv[1]}`) {
  await build(process.argv[2] ?? 'dist');
}
