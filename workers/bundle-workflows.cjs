'use strict';
// Bundles the workflow code for workers/workflow-bundle.ts in a process of its own, so webpack and
// swc (about 100 MiB that a long-lived worker would otherwise keep) never load into the worker; the bundle
// is written slimmed (workers/slim-workflow-bundle.cjs).
// Plain CommonJS: the bundler compiles TypeScript itself.
// Usage: node bundle-workflows.cjs '<options json>' <output file>  (options: paths only); webpack's
// warnings and errors go to stderr.
const { writeFileSync } = require('node:fs');
const { bundleWorkflowCode } = require('@temporalio/worker');
const { shareModulesAcrossRuns } = require('./share-modules-across-runs.cjs');
const { slimWorkflowBundle } = require('./slim-workflow-bundle.cjs');

const quiet = () => {};
const toStderr = (message, meta) => process.stderr.write(`${message}${meta ? ` ${JSON.stringify(meta)}` : ''}\n`);
const logger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: toStderr, error: toStderr };

bundleWorkflowCode({ ...JSON.parse(process.argv[2]), logger, webpackConfigHook: shareModulesAcrossRuns() }).then(
  ({ code }) => {
    writeFileSync(process.argv[3], slimWorkflowBundle(code));
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
