import { defineConfig } from 'vitest/config';

// Five projects: `npm test` runs unit + integration (no Debian packages needed);
// interop needs SIPp (`sipp`), e2e needs Chromium: `.ci/run` installs both and runs them;
// keychain needs gnome-keyring and dbus (`npm run test:keychain` starts a private session).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } },
      { test: { name: 'interop', include: ['test/interop/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 30_000, fileParallelism: false } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 60_000, fileParallelism: false } },
      // Needs a D-Bus session with an unlocked gnome-keyring: run through `npm run test:keychain`.
      { test: { name: 'keychain', include: ['test/keychain/**/*.test.ts'], testTimeout: 30_000, fileParallelism: false } },
      // Packs and installs the tarball (issue 16): `npm run test:pack`; minutes, needs npm's cache or registry.
      { test: { name: 'pack', include: ['test/pack/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000, fileParallelism: false } },
    ],
  },
});
