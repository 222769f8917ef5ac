/** The sharding suite as a jest project: the same files as vitest runs, `vitest` imports served by jest's globals (jest-vitest.cjs) (see test/shard.test.ts). */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/shard/suite'],
  testMatch: ['**/*.shard.ts'],
  setupFilesAfterEnv: ['trainability/jest'],
  moduleNameMapper: { '^vitest$': '<rootDir>/test/shard/jest-vitest.cjs', '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 60000,
}
