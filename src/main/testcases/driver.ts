/**
 * The per-mode drivers' shared shape: a driver sets a case's call up (embedded: the emulated CXone
 * calls the reference bot; emulate: it calls a real bot; answer: a real CXone or SIP peer calls us;
 * call: we call through a trunk), brings it to the answer, hands the steps their {@link StepEnv},
 * and afterwards gives the facts the case-level expectations judge.
 */
import type { VendorProfile } from '../../shared/profile';
import type { LatencyMarks, SipMessageRecord } from '../../shared/types';
import { isAbsolute, resolve } from 'node:path';
import type { RunContext } from '../runs/types';
import type { SipEndpointOptions } from '../sip/endpoint';
import type { SipCall } from '../sip/call';
import type { AudioTap } from './audio-tap';
import type { Redactor } from './secrets';
import type { TestCase } from './schema';
import type { SpeechSource, StepEnv } from './steps';

/** What the drivers need from the runtime (a subset of the run context), plus the voice. */
export type CaseDeps = Pick<RunContext, 'startEndpoint' | 'startCxone' | 'recorder' | 'log' | 'profile'> & {
  /** History key of the test run the calls belong to. */
  runId: string | null;
  speak: SpeechSource;
};

/** The case a driver runs: validated, secrets resolved, with where it came from. */
export interface DriverInput {
  tc: TestCase;
  profile: VendorProfile;
  /** Folder of the case file. */
  caseDir: string;
  transport: 'udp' | 'tcp' | 'tls';
  tap: AudioTap;
  deps: CaseDeps;
  abort: AbortSignal;
  redactor: Redactor;
}

/** How the set-up went: the steps' environment, or why the steps cannot run. */
export type DriverStart =
  | { ok: true; env: StepEnv; inviteMonoMs: number }
  | { ok: false; detail: string; inviteMonoMs: number | null };

/** The facts a driver gathers for the case-level expectations. */
export interface DriverFacts {
  /** The contact-id verdict: ok, and what was read (null: not judged in this mode). */
  contactId: { ok: boolean; detail: string } | null;
  /** What the emulated CXone script did (embedded, emulate), e.g. `REQAGENT`; null otherwise. */
  action: string | null;
  /** The script's outcome in words. */
  outcome: string | null;
  latency: LatencyMarks;
}

/** One mode's driver. */
export interface CaseDriver {
  /** The test call once placed or received. */
  readonly call: SipCall | null;
  /** Sets up and waits for the answer. Rejects only for a set-up error (a port in use…). */
  start(): Promise<DriverStart>;
  /** After the steps (the call is over or ended by the engine): the facts. Never rejects. */
  finish(): Promise<DriverFacts>;
  /** Frees what the driver opened itself (beyond the runtime's endpoints and emulators); idempotent. */
  close?(): Promise<void>;
}

/**
 * The SIP TLS options of a case's `sip:` (files relative to the case), for transport `tls` only.
 * @remarks sip/tls-setup.ts: without a certificate a self-signed one is made (kept in memory).
 */
export function caseTls(input: DriverInput): Pick<SipEndpointOptions, 'tls'> {
  const sip = input.tc.sip ?? {};
  if (input.transport !== 'tls') return {};
  const file = (f: string | undefined): string | undefined => (f === undefined ? undefined : isAbsolute(f) ? f : resolve(input.caseDir, f));
  return {
    tls: {
      certDir: null,
      ...(sip.ca_file ? { caFile: file(sip.ca_file) } : {}),
      ...(sip.cert_file ? { certFile: file(sip.cert_file) } : {}),
      ...(sip.key_file ? { keyFile: file(sip.key_file) } : {}),
    },
  };
}

/** The INVITE of a call as it crossed our socket (out for uac, in for uas). */
export function inviteRecord(call: SipCall): SipMessageRecord | undefined {
  const dir = call.role === 'uac' ? 'out' : 'in';
  return call.messages.find((m) => m.method === 'INVITE' && m.status === undefined && m.direction === dir);
}

/** The 2xx to the INVITE as it crossed our socket. */
export function answerRecord(call: SipCall): SipMessageRecord | undefined {
  const dir = call.role === 'uac' ? 'in' : 'out';
  return call.messages.find((m) => m.method === 'INVITE' && m.status !== undefined && m.status >= 200 && m.status < 300 && m.direction === dir);
}

/** Ends a call if it is still up and waits (at most `ms`) for it to settle; never rejects. */
export async function endQuietly(call: SipCall | null, ms = 5000): Promise<void> {
  if (!call || call.state === 'ended' || call.state === 'failed') return;
  try {
    await call.hangup();
  } catch {
    /* ended meanwhile */
  }
  await call.waitForEnd(ms).catch(() => {});
}

/** A promise resolved after `ms` or when `abort` fires (whichever first). */
export function delay(ms: number, abort?: AbortSignal): Promise<void> {
  return new Promise((r) => {
    const t = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(t);
      abort?.removeEventListener('abort', done);
      r();
    }
    abort?.addEventListener('abort', done, { once: true });
  });
}
