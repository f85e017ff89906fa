import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.spec.ts'] } },
      // The client package, against the real service (client/test/service.ts) and in Chromium (test/browser/).
      { extends: true, test: { name: 'client', include: ['client/test/**/*.spec.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          exclude: ['test/browser/**'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      // Headless Chromium (Debian's /usr/bin/chromium) driving the demo and Swagger UI; skipped without it unless CI=true.
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.e2e-spec.ts'], globalSetup: ['test/support/global-setup.ts'] },
      },
    ],
  },
});
