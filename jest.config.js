/** @type {import('jest').Config} */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] };

// Fastify's `inject` (light-my-request) requires `cookie`, an ES module jest cannot load as is: compile it too.
const withEsmDependencies = {
  transform: { ...transform, '/node_modules/cookie/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
};

module.exports = {
  testTimeout: 120_000,
  // On 2 cores jest would run every suite in its own process, where the module graphs of earlier suites
  // (held by native layers: Temporal runtimes, LanceDB, ONNX) pile up past the heap limit. A memory limit
  // makes it use a worker instead, replaced once it holds more than this after a suite.
  workerIdleMemoryLimit: '1500MB',
  projects: [
    {
      displayName: 'unit', testEnvironment: 'node', ...withEsmDependencies, testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'workflows',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    },
    // Crashes, faults, hostile input and load at scale (`npm run test:faults` runs only these).
    {
      displayName: 'faults',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    },
    // The shared VectorStore contract suite on the embedded store (always).
    { displayName: 'contract', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/contract/*.test.ts'] },
    // The same suite against a Qdrant server: `QDRANT_URL=… npm run test:qdrant`. Left out of the
    // default run, since no registry ships a Qdrant server for CI.
    ...(process.env.QDRANT_URL || process.argv.includes('qdrant')
      ? [{ displayName: 'qdrant', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/contract/qdrant/*.test.ts'] }]
      : []),
  ],
};
