/**
 * Test helpers: start SipEndpoints on loopback with a captured log, wait for an incoming call.
 */
import { SipEndpoint, type SipEndpointOptions } from '../../../src/main/sip/endpoint';
import type { SipCall } from '../../../src/main/sip/call';
import type { SipMessageRecord } from '../../../src/shared/types';

/** One log line captured from an endpoint. */
export interface LogLine {
  level: string;
  msg: string;
}

/** An endpoint with everything it logged and every wire record it reported. */
export interface TestEndpoint {
  ep: SipEndpoint;
  logs: LogLine[];
  wire: SipMessageRecord[];
}

/** Starts an endpoint on 127.0.0.1, port 0, capturing its logs and wire records. */
export async function startEndpoint(
  transport: 'udp' | 'tcp',
  user: string,
  extra: Partial<SipEndpointOptions> = {},
): Promise<TestEndpoint> {
  const logs: LogLine[] = [];
  const wire: SipMessageRecord[] = [];
  const ep = await SipEndpoint.start({
    transport,
    host: '127.0.0.1',
    port: 0,
    user,
    log: (level, msg) => {
      logs.push({ level, msg });
      if (process.env.SIP_TEST_LOG) console.log(`[${user} ${level}] ${msg}`);
    },
    onWire: (rec) => wire.push(rec),
    ...extra,
  });
  return { ep, logs, wire };
}

/** Resolves with the next incoming call of `ep` (sets `ep.onInvite`). */
export function nextIncomingCall(ep: SipEndpoint, timeoutMs = 10_000): Promise<SipCall> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no incoming call within ${timeoutMs} ms`)), timeoutMs);
    ep.onInvite = (call) => {
      clearTimeout(timer);
      resolve(call);
    };
  });
}

/** Status lines / methods of records, compact, for assertions: `>INVITE`, `<100`, … (`>` = out). */
export function ladder(records: readonly SipMessageRecord[]): string[] {
  return records.map((r) => `${r.direction === 'out' ? '>' : '<'}${r.status ?? r.method}`);
}
