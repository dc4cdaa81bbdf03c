/**
 * `lab emulate`: the app as CXone for a real bot (design.md §2, mode 2). Serves the emulated CXone
 * API on `--api-listen`, places the call to `--sip-target` with the profile's X- headers, waits for
 * the bot's token request and Signal, plays ONSIGNAL and reports.
 */
import { parseTopologySpec } from '../profiles/topology';
import { parseArgs } from 'node:util';
import { FAULT_SPECS, parseFault } from '../emulator/faults';
import { getProfile } from '../profiles';
import type { EmulateReady, EmulateRunOptions, EmulatorCredentials } from '../runs/emulate';
import { runHeadless } from '../runtime/headless';
import { formatRunReport, type RunReport } from '../scenarios/run-report';
import { emitResult, parseTlsFlags, sayFor, TLS_FLAG_OPTIONS, type TlsFlags } from './args';

/** Usage text of the command, for the CLI's help. */
export const EMULATE_USAGE = `  emulate --sip-target <sip-uri> --api-listen <host:port> --profile <name> [--https]
          [--transport udp|tcp|tls] [--listen <host:port>] [--advertise ADDRESS] [--ca-file FILE]
          [--access-key-id ID --access-key-secret SECRET] [--client-id ID --client-secret SECRET]
          [--fault SPEC]... [--timeout S] [--drop-wait MS] [--agent-delay MS] [--db FILE] [--json FILE]
          [--topology single|main-spawn|parent-child[,header=main|placer][,onsignal=main|placer]] [--signal-status N]
      The app as CXone for a real bot: serves the emulated CXone API the bot is configured to use
      (HTTPS with a generated certificate whose fingerprint is printed), places the call with the
      profile's X- headers and an emulated contact id, waits for the bot's token request and
      Signal, checks them, plays ONSIGNAL (drop the leg, REQAGENT or HANGUP) and reports.
      Without --access-key-id/--access-key-secret a key is generated and printed for the bot's config.
      --transport tls: SIP over TLS to the bot; --ca-file: CAs trusted for the bot's certificate.
      --fault: ${FAULT_SPECS.join(', ')}.
      --topology: the CXone scripts over the profile's (which id the header holds, which script waits
      in ONSIGNAL); --signal-status: what the emulated Signal answers (default 202, a choice: NICE
      documents no status for Signal). Sources: docs/cxone-facts.md, npm run lab -- profiles.`;

/** A `host:port` value (`[::1]:8443` for IPv6). @throws Error naming the expected form. */
export function parseHostPort(value: string, option: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(value.trim());
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new Error(`${option} "${value}": expected <host>:<port>, e.g. 0.0.0.0:8443`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function wholeNumber(v: string | undefined, option: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${option} "${v}": a number ≥ 0`);
  return n;
}

function signalStatus(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100 || n > 599) throw new Error(`--signal-status "${v}": an HTTP status, e.g. 200, 202 or 204`);
  return n;
}

function pair(a: string | undefined, b: string | undefined, names: string): [string, string] | null {
  if (a === undefined && b === undefined) return null;
  if (!a || !b) throw new Error(`give both ${names}, or neither (then they are generated)`);
  return [a, b];
}

function readyLines(r: EmulateReady, oauth: boolean): string[] {
  const lines = [
    `emulated CXone API: ${r.apiBase}${r.certFingerprint256 ? ` (HTTPS, self-signed certificate SHA-256 ${r.certFingerprint256})` : ''}`,
    `  access-key token: POST ${r.accessKeyTokenUrl}`,
    `  OAuth issuer:     ${r.oauthIssuer} (token endpoint ${r.oauthIssuer}/auth/token)`,
    `  Signal:           POST ${r.signalUrlTemplate}`,
  ];
  // Only generated credentials are printed: the bot must be configured with them.
  if (r.generated.accessKey) lines.push(`  access key id: ${r.credentials.accessKeyId}`, `  access key secret: ${r.credentials.accessKeySecret}`);
  if (oauth && r.generated.oauthClient) lines.push(`  OAuth client id: ${r.credentials.clientId}`, `  OAuth client secret: ${r.credentials.clientSecret}`);
  lines.push(
    `SIP: ${r.sipListener}; SIPPUTHEADER ${r.header.name}: ${r.header.value} (MasterId ${r.masterId}, child contact ${r.childId}); PLACECALL now`,
  );
  return lines;
}

/**
 * Runs `lab emulate` with its arguments.
 * @returns the exit status: 0 every check passed, 1 a check failed.
 * @throws Error on a usage or set-up error (the CLI exits 2).
 */
export async function emulateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'sip-target': { type: 'string' },
      'api-listen': { type: 'string' },
      profile: { type: 'string' },
      https: { type: 'boolean', default: false },
      transport: { type: 'string', default: 'udp' },
      listen: { type: 'string', default: '0.0.0.0:0' },
      advertise: { type: 'string' },
      'access-key-id': { type: 'string' },
      'access-key-secret': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      fault: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      'drop-wait': { type: 'string' },
      'agent-delay': { type: 'string' },
      topology: { type: 'string' },
      'signal-status': { type: 'string' },
      ...TLS_FLAG_OPTIONS,
      db: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const required = (v: string | undefined, name: string): string => {
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  const sipTarget = required(values['sip-target'], '--sip-target');
  const apiListen = parseHostPort(required(values['api-listen'], '--api-listen'), '--api-listen');
  const profile = getProfile(required(values.profile, '--profile'));
  const transport = values.transport;
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') throw new Error(`--transport "${transport}": udp, tcp or tls`);
  const tls = parseTlsFlags(values as TlsFlags, transport, false);
  const listen = parseHostPort(values.listen, '--listen');
  const key = pair(values['access-key-id'], values['access-key-secret'], '--access-key-id and --access-key-secret');
  const client = pair(values['client-id'], values['client-secret'], '--client-id and --client-secret');
  const credentials: Partial<EmulatorCredentials> = {
    ...(key ? { accessKeyId: key[0], accessKeySecret: key[1] } : {}),
    ...(client ? { clientId: client[0], clientSecret: client[1] } : {}),
  };
  const faults = (values.fault ?? []).map((f) => parseFault(f));
  // With --json - the report owns standard output; everything else goes to standard error.
  const say = sayFor(values.json);
  const stop = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('interrupted: CXone ends the call; reporting what happened so far\n');
    stop.abort();
  });
  const timeoutS = wholeNumber(values.timeout, '--timeout', 60);
  const options: EmulateRunOptions = {
    sipTarget,
    profile: profile.id,
    apiListen: { ...apiListen, advertiseHost: values.advertise },
    https: values.https,
    credentials,
    sip: { transport, ...listen, advertiseHost: values.advertise, ...(tls ? { tls } : {}) },
    timeoutMs: timeoutS * 1000,
    dropWaitMs: wholeNumber(values['drop-wait'], '--drop-wait', 5000),
    agentAnswerDelayMs: wholeNumber(values['agent-delay'], '--agent-delay', 500),
    ...(values.topology ? { topology: parseTopologySpec(values.topology) } : {}),
    ...(values['signal-status'] ? { signalStatus: signalStatus(values['signal-status']) } : {}),
    faults,
    onReady: (r) => {
      for (const l of readyLines(r, profile.auth === 'oauth-password')) say(l);
      say(`waiting up to ${timeoutS} s for the bot's token request and Signal (profile ${profile.id})`);
    },
    onProgress: say,
  };
  const report = await runHeadless<RunReport>('emulate', options, {
    dbFile: values.db ?? null,
    signal: stop.signal,
    log: (level, msg) => {
      if ((level === 'debug' || level === 'info') && !process.env.LAB_DEBUG) return;
      process.stderr.write(`[${level}] ${msg}\n`);
    },
  });
  return emitResult(report, () => formatRunReport(report), values.json, say);
}
