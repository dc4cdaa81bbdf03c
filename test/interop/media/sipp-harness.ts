/**
 * Shared set-up of the SIPp media tests: a temp dir that SIPp runs in (its scenario's audio files
 * and pcaps go there), our endpoints and SIPp runs stopped after each test, and a guard that fails
 * a wait as soon as SIPp exits early (with SIPp's output in the message).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import type { SipEndpointOptions } from '../../../src/main/sip/endpoint';
import { startEndpoint, type TestEndpoint } from '../../helpers/sip/endpoints';
import { describeSipp, runSipp, type SippRun } from '../../helpers/sip/sipp';

/** Hard limit of one SIPp run (ms); scenarios also get `-timeout 25`. */
export const SIPP_TIMEOUT_MS = 30_000;

/** What {@link sippHarness} gives a test file. */
export interface SippHarness {
  /** The temp dir of this file's tests (SIPp's working directory). */
  readonly dir: string;
  /** Starts an endpoint on 127.0.0.1 (stopped after the test). */
  endpoint(transport: 'udp' | 'tcp', user: string, extra?: Partial<SipEndpointOptions>): Promise<TestEndpoint>;
  /** Starts SIPp in {@link SippHarness.dir} (killed after the test if still running). */
  sipp(args: string[]): SippRun;
  /** Runs `fn` after the test, before SIPp and the endpoints are stopped. */
  onCleanup(fn: () => void): void;
}

/** Registers the hooks of a SIPp media test file; call once at its top level. */
export function sippHarness(prefix: string): SippHarness {
  const started: TestEndpoint[] = [];
  const runs: SippRun[] = [];
  const cleanups: (() => void)[] = [];
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    return () => rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    cleanups.splice(0).forEach((fn) => fn());
    runs.splice(0).forEach((r) => r.kill());
    await Promise.all(started.splice(0).map((t) => t.ep.stop()));
  });
  return {
    get dir() {
      return dir;
    },
    async endpoint(transport, user, extra) {
      const t = await startEndpoint(transport, user, extra);
      started.push(t);
      return t;
    },
    sipp(args) {
      const run = runSipp(args, { cwd: dir, timeoutMs: SIPP_TIMEOUT_MS });
      runs.push(run);
      return run;
    },
    onCleanup(fn) {
      cleanups.push(fn);
    },
  };
}

/**
 * Resolves with `wait`, or rejects as soon as SIPp exits first.
 * @param what - what was awaited, for the message ("the call was answered").
 */
export function beforeSippExits<T>(run: SippRun, wait: Promise<T>, what: string): Promise<T> {
  const exited = run.done.then((r): never => {
    throw new Error(`SIPp exited before ${what}: ${describeSipp(r)}`);
  });
  exited.catch(() => {});
  return Promise.race([wait, exited]);
}
