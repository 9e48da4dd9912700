/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

module.exports = {
  // Cold starts of many function instances at once are slow on a 2-core CI machine.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      displayName: 'emulator',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/emulator/**/*.test.ts', '<rootDir>/test/functions/**/*.test.ts', '<rootDir>/test/scripts/**/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
    },
    {
      // The creator console, driven in Chromium.
      displayName: 'console',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/console/**/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
      // The console's own import aliases (cms/vite.config.mts), for its pure modules under test.
      moduleNameMapper: { '^@domain/(.*)$': '<rootDir>/domain/$1', '^@/(.*)$': '<rootDir>/cms/src/$1' },
    },
    {
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/miniprogram/**/*.test.ts'],
      // TDesign ships ES modules that import their dependencies from miniprogram_npm/, as WeChat resolves them.
      transform: { '^.+\\.ts$': swc, '/miniprogram_npm/.+\\.js$': swc },
      moduleDirectories: ['node_modules', 'miniprogram_npm'],
    },
  ],
};
