'use strict';
// A webpack plugin for the workflow bundle: modules under the given directories (zod and contracts/)
// are evaluated once per workflow V8 context, by the first run that needs them, and later runs reuse
// them. Without it every run evaluates them again before its first activation: building contracts'
// zod schemas costs ≈ 15–20 ms of workflow-thread CPU per run, more than any step of an answer.
//
// Why not the SDK's `preloadModules`: it deep-freezes shared modules, and zod 4 schemas memoise
// members onto themselves on first use ("Cannot define property safeParse" on a frozen schema).
//
// Sharing is sound only for modules that hold no per-run state: pure schemas and functions, nothing
// read from the clock or random at load. The build fails when a shared module imports a module that
// is not shared, so a shared module can never capture one run's @temporalio/workflow.
// Plain CommonJS: workers/bundle-workflows.cjs loads it without a TypeScript loader.
const { sep } = require('node:path');

const PLUGIN = 'SluiceShareModulesAcrossRuns';

/** The require prologue: shared modules live in a map on the runtime's own require function. */
function sharedRequirePrologue(ids) {
  return [
    '// Modules shared across workflow runs (workers/share-modules-across-runs.cjs)',
    `const sharedAcrossRuns = __webpack_require__.sharedAcrossRuns ??= { ids: new Set(${JSON.stringify(ids)}),`,
    '  modules: new Map() };',
    'if (sharedAcrossRuns.ids.has(moduleId)) {',
    '  const known = sharedAcrossRuns.modules.get(moduleId);',
    '  if (known !== undefined) return known.exports;',
    '  const shared = { exports: {} };',
    '  sharedAcrossRuns.modules.set(moduleId, shared);',
    '  __webpack_modules__[moduleId].call(shared.exports, shared, shared.exports, __webpack_require__);',
    '  return shared.exports;',
    '}',
    '',
  ].join('\n');
}

class ShareModulesAcrossRuns {
  /** @param {readonly string[]} directories absolute paths; every module file under them is shared */
  constructor(directories) {
    this.prefixes = directories.map((directory) => (directory.endsWith(sep) ? directory : directory + sep));
  }

  isShared(module) {
    const resource = module && module.resource;
    return typeof resource === 'string' && this.prefixes.some((prefix) => resource.startsWith(prefix));
  }

  apply(compiler) {
    const { WebpackError, javascript } = compiler.webpack;
    compiler.hooks.compilation.tap(PLUGIN, (compilation) => {
      compilation.hooks.finishModules.tap(PLUGIN, (modules) => {
        for (const module of modules) {
          if (!this.isShared(module)) continue;
          for (const dependency of module.dependencies) {
            const target = compilation.moduleGraph.getModule(dependency);
            if (!target || target === module || this.isShared(target)) continue;
            compilation.errors.push(new WebpackError(
              `${module.resource} is shared across workflow runs but imports ` +
              `${target.resource ?? target.identifier()}, which is not: a shared module may import only shared modules`,
            ));
          }
        }
      });
      const { renderRequire } = javascript.JavascriptModulesPlugin.getCompilationHooks(compilation);
      renderRequire.tap(PLUGIN, (code, context) => {
        const ids = [];
        for (const module of compilation.modules) {
          const id = this.isShared(module) ? context.chunkGraph.getModuleId(module) : null;
          if (id !== null && id !== undefined) ids.push(id);
        }
        return ids.length ? sharedRequirePrologue(ids) + code : code;
      });
    });
  }
}

/** zod and contracts/: the modules Sluice's workflows share across runs. */
function sluiceSharedDirectories() {
  const { dirname, join } = require('node:path');
  return [join(__dirname, '..', 'contracts'), dirname(require.resolve('zod/package.json'))];
}

/** A `webpackConfigHook` adding the plugin for `directories` (Sluice's by default). */
function shareModulesAcrossRuns(directories = sluiceSharedDirectories()) {
  return (config) => ({ ...config, plugins: [...(config.plugins ?? []), new ShareModulesAcrossRuns(directories)] });
}

module.exports = { ShareModulesAcrossRuns, shareModulesAcrossRuns, sluiceSharedDirectories };
