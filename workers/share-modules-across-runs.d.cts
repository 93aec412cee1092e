import type { BundleOptions } from '@temporalio/worker';

type WebpackConfigHook = NonNullable<BundleOptions['webpackConfigHook']>;

/** A webpack plugin sharing the modules under `directories` across workflow runs; see the .cjs file. */
export declare class ShareModulesAcrossRuns {
  constructor(directories: readonly string[]);
  apply(compiler: unknown): void;
}

/** A `webpackConfigHook` adding the plugin for `directories` (zod and contracts/ by default). */
export declare function shareModulesAcrossRuns(directories?: readonly string[]): WebpackConfigHook;

/** zod and contracts/: the modules Sluice's workflows share across runs. */
export declare function sluiceSharedDirectories(): string[];
