/**
 * Desktop notifications of the monitor (a run failed, a scenario recovered), behind one small
 * interface with two real implementations:
 * - {@link DesktopNotifier}: `notify-send` (Debian package libnotify-bin), which calls
 *   `org.freedesktop.Notifications.Notify` on the session D-Bus (Desktop Notifications
 *   Specification 1.2); for the CLI and the browser host on Linux.
 * - {@link electronNotifier}: Electron's `Notification`, passed in by the Electron entry (this
 *   module never imports `electron`).
 */
import { spawn } from 'node:child_process';

/** One notification. */
export interface MonitorNotification {
  title: string;
  body: string;
  /** `critical` for a failed run (stays until dismissed on most desktops). */
  urgency: 'low' | 'normal' | 'critical';
}

/** Shows notifications. `notify` rejects with a readable error when it cannot (no bus, no daemon). */
export interface Notifier {
  notify(n: MonitorNotification): Promise<void>;
}

/** Options of {@link DesktopNotifier}. */
export interface DesktopNotifierOptions {
  /** The program; default `notify-send`. */
  command?: string;
  /** Environment of the program (its `DBUS_SESSION_BUS_ADDRESS` names the bus); default this process's. */
  env?: NodeJS.ProcessEnv;
  /** Application name shown by the desktop; default `CXone SIP Lab`. */
  appName?: string;
  /** Gives up after this long (ms); default 5000. */
  timeoutMs?: number;
}

/** Notifications through `notify-send` on the session D-Bus. */
export class DesktopNotifier implements Notifier {
  constructor(private readonly opts: DesktopNotifierOptions = {}) {}

  /**
   * Sends one notification.
   * @throws (rejects) when `notify-send` is missing (install libnotify-bin), exits non-zero (no
   *   session bus or no notification daemon: its message is included), or hangs past the timeout.
   */
  notify(n: MonitorNotification): Promise<void> {
    const cmd = this.opts.command ?? 'notify-send';
    const args = [`--app-name=${this.opts.appName ?? 'CXone SIP Lab'}`, `--urgency=${n.urgency}`, '--', n.title, n.body];
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { env: this.opts.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`${cmd} did not finish within ${this.opts.timeoutMs ?? 5000} ms`));
      }, this.opts.timeoutMs ?? 5000);
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new Error(e.code === 'ENOENT' ? `${cmd} not found (Debian: apt-get install libnotify-bin)` : `${cmd}: ${e.message}`));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`${cmd} exited with ${code}: ${err.trim() || 'no message'} (is there a session D-Bus with a notification daemon?)`));
      });
    });
  }
}

/** The part of Electron's `Notification` class this module uses. */
export interface ElectronNotificationClass {
  new (options: { title: string; body: string; urgency?: 'low' | 'normal' | 'critical' }): { show(): void };
  isSupported(): boolean;
}

/**
 * A notifier on Electron's `Notification` (main process): `electronNotifier(Notification)` in the
 * Electron entry. It rejects when the platform does not support notifications.
 */
export function electronNotifier(Notification: ElectronNotificationClass): Notifier {
  return {
    async notify(n) {
      if (!Notification.isSupported()) throw new Error('desktop notifications are not supported here');
      new Notification({ title: n.title, body: n.body, urgency: n.urgency }).show();
    },
  };
}
