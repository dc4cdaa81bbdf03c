/**
 * The last line of defence against a SIP peer ending the process: an `uncaughtException` /
 * `unhandledRejection` listener that swallows (counts and logs once per kind) errors thrown from
 * inside sip.js, which runs its transaction and dialog timers where no caller can catch them.
 *
 * The known crashers are fixed where they are (patches/sip.js+0.21.2.patch, validation.ts); this
 * guard is for the ones nobody has met yet. Anything not thrown from sip.js keeps Node's default
 * behaviour: when no other listener of the event exists, the error is printed and the process exits
 * with status 1, as it would without the guard. When others listen (a CLI's own handler, a test
 * runner), they decide.
 *
 * @remarks Assumed here: an error "comes from sip.js" when a frame of its stack is in
 * `node_modules/sip.js/`.
 */
import { processSipFaults } from './fault-counters';
import type { SipLog } from './node-transport';

let installed = false;
let guardLog: SipLog = () => {};

/** True when a frame of the error's stack lies in sip.js. */
export function thrownBySipJs(e: unknown): boolean {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  return /[\\/]node_modules[\\/]sip\.js[\\/]/.test(stack);
}

function handle(e: unknown, event: 'uncaughtException' | 'unhandledRejection'): void {
  if (thrownBySipJs(e)) {
    const msg = e instanceof Error ? e.message : String(e);
    const kind = event === 'uncaughtException' ? 'sipjs-uncaught-exception' : 'sipjs-unhandled-rejection';
    const first = processSipFaults.snapshot()[kind] === undefined;
    processSipFaults.note(kind, msg, true);
    if (first) guardLog('error', `${event} from sip.js caught (the process goes on; further ones are counted): ${e instanceof Error ? e.stack : msg}`);
    return;
  }
  if (process.listenerCount(event) > 1) return; // another listener decides
  if (event === 'unhandledRejection') throw e; // becomes an uncaught exception: handled below
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}

/**
 * Installs the guard once per process (later calls only replace the logger).
 * @param log - where the first error of each kind is written.
 */
export function installSipProcessGuard(log?: SipLog): void {
  if (log) guardLog = log;
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (e) => handle(e, 'uncaughtException'));
  process.on('unhandledRejection', (e) => handle(e, 'unhandledRejection'));
}
