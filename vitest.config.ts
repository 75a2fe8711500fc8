import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/**
 * Projects: `unit` (in-process, fakes and msw), `web` (React in jsdom), `integration` (the real offline
 * stack: serverless-offline, DynamoDB Local, the emulator) and `e2e` (the web app in headless Chromium against
 * that stack). `npm test` runs them all;
 * `npx vitest run --project unit` runs one.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', env },
      },
      {
        plugins: [react()],
        test: { name: 'web', include: ['web/src/**/*.test.{ts,tsx}'], environment: 'jsdom', env },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-stack.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env,
        },
      },
      {
        // The production web bundle in headless Chromium against its own offline stack; one file at a time,
        // since every test drives the same stack and a browser on 2 cores.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [
            'test/support/global-browser.ts',
            'test/support/global-stack.ts',
            'test/support/global-web.ts',
          ],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          env,
        },
      },
    ],
  },
});
