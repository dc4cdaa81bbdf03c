// The monitor's desktop notification for real: a private D-Bus session bus (dbus-run-session) with
// a notification daemon on it (org.freedesktop.Notifications, a small python3-dbus service), the
// monitor running the embedded handoff with a fault injected in the emulator, and notify-send
// (libnotify-bin) delivering "FAILED" with critical urgency. Debian: dbus, libnotify-bin,
// python3-dbus, python3-gi.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../../src/main/emulator/faults';
import { runMonitor } from '../../../src/main/monitor/monitor';
import { DesktopNotifier } from '../../../src/main/monitor/notifier';
import { toolAvailable } from '../../helpers/reports/tools';

const PYTHON = '/usr/bin/python3';
const DAEMON = resolve(import.meta.dirname, '../../helpers/monitor/notification-daemon.py');
const HAVE_ALL =
  toolAvailable('dbus-run-session', ['--version']) &&
  toolAvailable('notify-send', ['--version']) &&
  spawnSync(PYTHON, ['-c', 'import dbus, dbus.service, gi.repository.GLib'], { encoding: 'utf8' }).status === 0;

interface Shown {
  app: string;
  summary: string;
  body: string;
  urgency: number | null;
}

const started: ChildProcess[] = [];
afterEach(() => {
  // dbus-run-session was started in its own process group: end that group (bus and daemon).
  for (const c of started.splice(0)) if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
});

/** Starts a private session bus with the daemon; resolves with its address and what it shows. */
function startBus(): Promise<{ address: string; shown: Shown[]; next: () => Promise<Shown> }> {
  const child = spawn('dbus-run-session', ['--', PYTHON, DAEMON], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  const shown: Shown[] = [];
  const waiting: ((s: Shown) => void)[] = [];
  let buf = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolveBus, reject) => {
    child.on('exit', (code) => reject(new Error(`dbus-run-session exited (${code}): ${err}`)));
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as { ready?: string } & Shown;
        buf = buf.slice(nl + 1);
        if (line.ready) {
          resolveBus({
            address: line.ready,
            shown,
            next: () => new Promise<Shown>((r) => (shown.length > 0 ? r(shown.shift()!) : waiting.push(r))),
          });
        } else {
          const w = waiting.shift();
          if (w) w(line);
          else shown.push(line);
        }
      }
    });
  });
}

describe.skipIf(!HAVE_ALL)('desktop notification of a failed monitor run (notify-send on D-Bus)', () => {
  it('a fault in the emulator: the run fails and the desktop shows a critical "FAILED" notification', async () => {
    const bus = await startBus();
    const notifier = new DesktopNotifier({ env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address } });
    const shown = bus.next();
    const summary = await runMonitor({
      scenario: 'handoff', profile: 'watson', transport: 'udp', everyMs: 10, runs: 1,
      dbFile: join(mkdtempSync(join(tmpdir(), 'lab-notify-')), 'history.db'), faults: [parseFault('server-error')], notifier, handoff: { dropWaitMs: 500 },
    });
    expect(summary.runs[0]).toMatchObject({ ok: false, notified: true, notifyError: null });
    const n = await shown;
    expect(n.app).toBe('CXone SIP Lab');
    expect(n.summary).toBe('CXone SIP Lab: handoff watson (udp) FAILED');
    expect(n.body).toMatch(/signal-accepted/);
    expect(n.urgency).toBe(2); // critical
  });

  it('without a notification daemon, notify-send fails and the monitor says why instead of crashing', async () => {
    const notifier = new DesktopNotifier({ env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, timeoutMs: 5000 });
    await expect(notifier.notify({ title: 't', body: 'b', urgency: 'normal' })).rejects.toThrow(/notify-send exited/);
  });
});
