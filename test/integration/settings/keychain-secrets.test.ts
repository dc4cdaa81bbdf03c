// Secrets in the OS keychain only (issue 5 item 7), against a real gnome-keyring: a child process
// runs in a private D-Bus session (dbus-run-session, an unlocked gnome-keyring in a temporary
// home), drives a real Lab through the browser host's WebSocket, and reports that the access key
// secret and the trunk password are in the keychain (and gone after delete), that the connection
// works with them, and that neither appears in any WebSocket frame, the settings view, SQLite or
// the logs. Skipped where dbus-run-session or gnome-keyring-daemon is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const tools = process.platform === 'linux' && has('dbus-run-session') && has('gnome-keyring-daemon');

describe.skipIf(!tools)('settings secrets with gnome-keyring (needs dbus and gnome-keyring)', () => {
  it('keeps secrets only in the keychain and never sends them back', () => {
    const home = mkdtempSync(join(tmpdir(), 'lab-kc-home-'));
    try {
      const child = join(import.meta.dirname, 'fixtures/secrets-child.ts');
      const script = `echo -n lab-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "${join(root, 'node_modules/.bin/tsx')}" "${child}"`;
      const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
        cwd: root,
        env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home, DBUS_SESSION_BUS_ADDRESS: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      expect(line, `child failed (status ${r.status}): ${r.stderr.slice(-2000)}`).toMatch(/^\{/);
      const out = JSON.parse(line) as Record<string, unknown>;
      expect(out).toMatchObject({
        available: true,
        saved: { secretSet: true },
        test: { ok: true },
        signalStatus: 404, // the emulator accepted the token; the contact is unknown
        trunkPasswordSet: true,
        inKeychain: true,
        trunkInKeychain: true,
        viewHasSecret: false,
        afterDelete: null,
        trunkAfterDelete: null,
        framesWithSecret: 0,
        dbWithSecret: [],
        logsWithSecret: 0,
      });
      expect(out.frames as number).toBeGreaterThan(5);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});
