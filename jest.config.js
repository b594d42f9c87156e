/** ts-jest in ESM mode; type checking runs once in `npm run typecheck`, so tests only transpile. */
export default {
  // One tree-sitter per worker process: see test/support/tree-sitter-environment.cjs.
  testEnvironment: '<rootDir>/test/support/tree-sitter-environment.cjs',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^tree-sitter$': '<rootDir>/test/support/tree-sitter.cjs',
    '^tree-sitter-python$': '<rootDir>/test/support/tree-sitter-python.cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
};
