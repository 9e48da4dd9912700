/** `npm run preview`: the mini-program jest project (jsdom, the harness) running only the preview. */
const base = require('./jest.config.js');

const miniprogram = base.projects.find((project) => project.displayName === 'miniprogram');

module.exports = {
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  // Every page in several states, each screenshotted in Chromium.
  testTimeout: 600_000,
  projects: [{ ...miniprogram, displayName: 'preview', testMatch: ['<rootDir>/test/preview/**/*.preview.ts'] }],
};
