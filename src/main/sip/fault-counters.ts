/**
 * Counts what the SIP layer caught instead of letting it end the process: a sip.js fault that the
 * patched sip.js logs with the marker `sip.js fault (<kind>)` (patches/sip.js+0.21.2.patch), a
 * handler of ours that threw, a refused message (too big, too many headers), or an error that
 * reached the process guard from inside sip.js.
 *
 * Each kind is logged once, at its first occurrence, with its detail; later ones are only counted
 * (a peer that repeats the same bad message at 200/s must not fill the log). The counts are read
 * with {@link SipFaultCounters.snapshot} (SipEndpoint exposes its own as `faultCounts()`).
 *
 * @remarks Assumed here (no RFC): "kind" is a short kebab-case name chosen where the fault is caught.
 */
import type { SipLog } from './sip-log';

/** The marker the sip.js patches write in front of a caught fault: `sip.js fault (<kind>): …`. */
const SIPJS_FAULT = /sip\.js fault \(([a-z0-9-]+)\)/;

/**
 * The fault kind named in a sip.js log line written by a patch, e.g. `session-terminated-twice`.
 * @returns the kind, or undefined when the line is not a caught-fault line.
 */
export function sipJsFaultKind(logContent: string): string | undefined {
  return SIPJS_FAULT.exec(logContent)?.[1];
}

/** Counts of caught faults by kind; logs each kind once. Never throws. */
export class SipFaultCounters {
  private readonly counts = new Map<string, number>();

  /**
   * @param log - where the first occurrence of each kind goes (level `warn`).
   * @param parent - also counted there (e.g. the process-wide {@link processSipFaults}).
   */
  constructor(
    private readonly log: SipLog = () => {},
    private readonly parent?: SipFaultCounters,
  ) {}

  /**
   * Counts one fault of `kind`; the first of its kind is logged with `detail`.
   * @param alreadyLogged - true when the detail was already logged (e.g. by sip.js's own logger):
   *                        then only a short first-occurrence line is written.
   */
  note(kind: string, detail: string, alreadyLogged = false): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n === 1) {
      const what = alreadyLogged ? '' : `: ${detail.slice(0, 300)}`;
      this.log('warn', `caught SIP fault '${kind}' (the call goes on or is refused; further ones are counted, not logged)${what}`);
    }
    this.parent?.note(kind, detail, true);
  }

  /** Counts so far, by kind (a copy). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Total of every kind. */
  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }
}

/** Process-wide counts (every endpoint adds to them; the process guard counts here). */
export const processSipFaults = new SipFaultCounters();
