/**
 * `lab serve`: the Lab service behind the browser host, until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startBrowserHost } from '../host/browser-host';
import { Lab } from '../lab';
import { defaultDbFile } from '../paths';
import { webDir } from '../resources';

/**
 * Runs the browser host. Prints `dashboard: <url>` (with the per-launch token) and the SIP listeners.
 * @returns the exit status once stopped by a signal.
 */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'sip-host': { type: 'string', default: '127.0.0.1' },
      'sip-udp-port': { type: 'string', default: '0' },
      'sip-tcp-port': { type: 'string', default: '0' },
      db: { type: 'string' },
      static: { type: 'string' },
    },
    strict: true,
  });
  const lab = await Lab.start({
    dbFile: values.db ?? defaultDbFile(),
    host: 'browser',
    sipHost: values['sip-host'],
    sipPorts: { udp: Number(values['sip-udp-port']), tcp: Number(values['sip-tcp-port']) },
    log: (level, msg) => {
      if (level === 'warn' || level === 'error' || process.env.LAB_DEBUG) process.stderr.write(`[${level}] ${msg}\n`);
    },
  });
  const host = await startBrowserHost({
    lab,
    staticDir: values.static ?? webDir(),
    host: values.host,
    port: Number(values.port),
  });
  const info = await lab.handlers['app/info'](null);
  if (info.ok) for (const l of info.value.listeners) console.log(`SIP listener: ${l.uri}`);
  console.log(`history: ${lab.store.file}`);
  console.log(`dashboard: ${host.url}`);
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  await host.close();
  await lab.stop();
  return 0;
}
