/**
 * `cxone-sip-lab` command line (design.md §6): `npm run lab -- <command>`.
 * Exit status: 0 when every check passed, 1 when a check failed, 2 on a usage or set-up error.
 */
import { parseTopologySpec } from '../profiles/topology';
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatLabError, toLabError } from '../../shared/errors';
import type { AnswerReport, AnswerRunOptions, CxoneApiTarget } from '../runs/answer';
import { runHeadless } from '../runtime/headless';
import { formatRunReport, type CallReport, type RunReport } from '../scenarios/run-report';
import { CliUsageError, emitResult, sayFor, parseListen, parseSignalParams, parseTlsFlags, TLS_FLAG_OPTIONS, type TlsFlags } from './args';
import { SECRET_USAGE, secretCommand } from './secret';
import { CALL_USAGE, callCommand } from './call';
import { EMULATE_USAGE, emulateCommand } from './emulate';
import { serveCommand } from './serve';
import { REPORT_USAGE, reportCommand } from './report';
import { IMPORT_USAGE, importCommand } from './import';
import { REPLAY_USAGE, replayCommand } from './replay';
import { MONITOR_USAGE, monitorCommand } from './monitor';
import { TEST_USAGE, testCommand } from './test';
import { PROFILES_USAGE, profilesCommand } from './profiles';
import { AREA_PATTERN, deriveAuthBase, regionAuthBase } from '../cxone/urls';
import { HISTORY_USAGE, historyCommand } from './history';
import { LiveRunReport } from '../reports/journal-run';
import { LOAD_USAGE, loadCommand } from './load';
import { sipJsVersion, version } from '../version';
import { LONG_RUNNING_COMMANDS, preferSmallHeap } from '../runtime/heap-mode';
import { stderrLog } from './stderr-log';

const USAGE = `cxone-sip-lab: test the SIP handoff between NICE CXone and a voice bot

usage: lab <command> [options]      (in a clone of the repository: npm run lab -- <command>)

commands:
  run handoff [--profile <kore|synthflow|watson|polyai|custom>] [--transport tcp|udp] [--topology SPEC]
              [--db FILE] [--json FILE] [--signal p1=..,p2=..] [--drop-wait MS]
      The embedded default: the CXone emulator calls the reference bot on loopback (profile kore
      unless --profile names another).
  answer --listen <udp|tcp|tls>:<host>:<port> --profile <name> --cxone-api <base-url|discover|embedded>
         [--advertise ADDRESS] [--cxone-auth URL] [--cxone-issuer URL --cxone-client-id ID] [--cxone-ca FILE]
         [--signal p1=..,p2=..] [--db FILE] [--json FILE] [--journal FILE.jsonl] [--calls N]
         [--drop-wait MS] [--timeout S] [--linger S] [--tls-cert FILE --tls-key FILE | --tls-self-signed] [--ca-file FILE] [--lean]
      The app as the bot: answers each INVITE, verifies the contact id, sends the Signal.
      --lean keeps no per-call report in memory (long runs): the report's "calls" is empty, history
      keeps every call. The --json report ends with "liveMaps": the in-memory maps' sizes (all 0 when idle).
      --linger S keeps the listener open S seconds after the last call (default 1) to answer the
      peer's retransmissions; 32 lets every SIP transaction run out its RFC 3261 timers (64·T1).
      --json is rewritten (atomically) as calls end, --journal gets one JSON line per call: a
      crash, SIGKILL, SIGTERM or Ctrl-C leaves the calls so far.
      SIP over TLS (tls:0.0.0.0:5061): --tls-cert/--tls-key give the listener's PEM certificate
      and key; --tls-self-signed makes one (kept in the data folder, same fingerprint next time;
      give its file to the peer as a trusted CA). --ca-file: extra CAs trusted for outgoing TLS.
      --advertise: the address peers must reach, written in Via/Contact/SDP (default: the
      listen host, or for 0.0.0.0 the first non-internal IPv4 address).
      For a real CXone, the access key comes from CXONE_ACCESS_KEY_ID and CXONE_ACCESS_KEY_SECRET.
      --cxone-api discover: the API host is found from the token's tenant id (.well-known/cxone-configuration).
      --cxone-auth: the access-key token host (default https://{area}.nice-incontact.com from api-{area}).
      --cxone-region na1|au1|eu1|…: the token host's region, needed for Kore's api-{cluster}.nice-incontact.com form.
      --cxone-client-auth basic|post|auto: the app's client authentication (RFC 6749 §2.3.1; default auto:
      client_secret_basic unless the issuer's discovery lists only client_secret_post).
      --cxone-issuer + --cxone-client-id: a registered app's OAuth password grant (OpenID discovery at
      the issuer); its client secret comes from CXONE_CLIENT_SECRET. --cxone-ca: a PEM CA trusted for the API.
${EMULATE_USAGE}
${CALL_USAGE}
${REPORT_USAGE}
${IMPORT_USAGE}
${REPLAY_USAGE}
${MONITOR_USAGE}
${TEST_USAGE}
${LOAD_USAGE}
${HISTORY_USAGE}
  serve [--host 127.0.0.1] [--port N] [--db FILE]
      The dashboard in a browser (the browser host), with a per-launch token in the URL.
${PROFILES_USAGE}
${SECRET_USAGE}

--json FILE writes the machine-readable report ('-' for standard output).
lab --version prints the version (and sip.js's and Node's).
Exit status: 0 all checks passed, 1 a check failed, 2 usage or set-up error.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && LONG_RUNNING_COMMANDS.has(command)) preferSmallHeap();
  switch (command) {
    case 'run': {
      const [what, ...opts] = rest;
      if (what !== 'handoff') throw new UsageError(`unknown run "${what ?? ''}": the run is "run handoff"`);
      return runHandoffCommand(opts);
    }
    case 'answer':
      return answerCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'emulate':
      return emulateCommand(rest);
    case 'call':
      return callCommand(rest);
    case 'secret':
      return secretCommand(rest);
    case 'report':
      return reportCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'replay':
      return replayCommand(rest);
    case 'test':
      return testCommand(rest, stderrLog);
    case 'monitor':
      return monitorCommand(rest);
    case 'load':
      return loadCommand(rest);
    case 'history':
      return historyCommand(rest);
    case 'profiles':
      return usage(() => profilesCommand(rest));
    case 'version':
    case '--version':
    case '-V':
      console.log(`cxone-sip-lab ${version} (sip.js ${sipJsVersion}, node ${process.versions.node})`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true as const });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function runHandoffCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    profile: { type: 'string' },
    transport: { type: 'string', default: 'tcp' },
    db: { type: 'string' },
    json: { type: 'string' },
    signal: { type: 'string', multiple: true },
    'drop-wait': { type: 'string' },
    topology: { type: 'string' },
  });
  // The embedded demo needs no choice: Kore's profile unless one is named.
  const profile = values.profile === undefined ? 'kore' : requireString(values.profile, '--profile');
  const transport = parseTransport(values.transport);
  const topology = values.topology ? usage(() => parseTopologySpec(values.topology as string)) : undefined;
  const options = {
    profile,
    transport,
    signalParams: values.signal ? parseSignalParams(values.signal as string[]) : undefined,
    dropWaitMs: values['drop-wait'] ? Number(values['drop-wait']) : undefined,
    ...(topology ? { topology } : {}),
  };
  const report = await runHeadless<RunReport>('handoff', options, { dbFile: (values.db as string | undefined) ?? null, log: stderrLog });
  return finish(report, values.json as string | undefined);
}

async function answerCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    listen: { type: 'string' },
    advertise: { type: 'string' },
    profile: { type: 'string' },
    'cxone-api': { type: 'string' },
    'cxone-auth': { type: 'string' },
    'cxone-region': { type: 'string' },
    'cxone-client-auth': { type: 'string' },
    'cxone-issuer': { type: 'string' },
    'cxone-client-id': { type: 'string' },
    'cxone-ca': { type: 'string' },
    signal: { type: 'string', multiple: true },
    db: { type: 'string' },
    json: { type: 'string' },
    journal: { type: 'string' },
    calls: { type: 'string', default: '1' },
    'drop-wait': { type: 'string' },
    timeout: { type: 'string' },
    linger: { type: 'string' },
    lean: { type: 'boolean' },
    ...TLS_FLAG_OPTIONS,
  });
  const listenSpec = usage(() => parseListen(requireString(values.listen, '--listen')));
  const tls = usage(() => parseTlsFlags(values as TlsFlags, listenSpec.transport, true));
  const listen = { ...listenSpec, advertiseHost: values.advertise as string | undefined, tls };
  const profile = requireString(values.profile, '--profile');
  const apiArg = requireString(values['cxone-api'], '--cxone-api');
  let cxoneApi: CxoneApiTarget;
  if (apiArg === 'embedded') cxoneApi = { kind: 'embedded' };
  else {
    cxoneApi = remoteCxoneApi(apiArg, values as RemoteCxoneFlags);
  }
  // With --json - the report owns standard output; the live log goes to standard error.
  const say = sayFor(values.json as string | undefined);
  const interrupted = new AbortController();
  const calls = Number(values.calls);
  if (!Number.isInteger(calls) || calls < 1) throw new UsageError(`--calls "${String(values.calls)}": a whole number ≥ 1`);
  const lingerSeconds = (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 3600) throw new UsageError(`--linger "${v}": seconds, 0 to 3600`);
    return n;
  };
  if (values.linger !== undefined) lingerSeconds(values.linger as string);
  const live = new LiveRunReport({ json: values.json as string | undefined, journal: values.journal as string | undefined, base: { kind: 'answer', profile, transport: listen.transport, db: (values.db as string | undefined) ?? null }, jsonCalls: values.lean ? false : undefined });
  let started = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`interrupted (${sig}): finishing with the calls so far\n`);
      live.interrupted(sig, started - live.callsSoFar);
      interrupted.abort();
    });
  }
  const options: AnswerRunOptions = {
    listen,
    profile,
    cxoneApi,
    calls,
    signalParams: values.signal ? parseSignalParams(values.signal as string[]) : undefined,
    dropWaitMs: values['drop-wait'] ? Number(values['drop-wait']) : undefined,
    keepCallReports: values.lean ? false : undefined,
    timeoutMs: values.timeout ? Number(values.timeout) * 1000 : undefined,
    lingerMs: values.linger !== undefined ? lingerSeconds(values.linger as string) * 1000 : undefined,
    onListening: (uri, cert) => {
      say(`listening: ${uri} (profile ${profile}); waiting for ${calls} call(s); Ctrl-C ends with the calls so far`);
      if (cert) {
        const names = cert.altNames.join(', ') || cert.subject;
        say(`  TLS certificate ${cert.selfSigned ? '(self-signed) ' : ''}for ${names}, until ${cert.notAfter.toISOString().slice(0, 10)}, SHA-256 ${cert.fingerprint256}`);
        if (cert.selfSigned && cert.certFile) say(`  peers trust it with this file as their CA: ${cert.certFile}`);
      }
    },
    onInvite: (inv) => {
      // One write per INVITE, not one per line: at 200 calls/s a dozen synchronous writes per call
      // to a pipe were a measurable part of the process's CPU.
      const v = inv.verdict;
      const lines = [`INVITE ${inv.requestUri}  (Call-ID ${inv.callId})`, ...inv.headers.map((h) => `    ${h.name}: ${h.value}`)];
      lines.push(`  contact id: ${v.ok ? 'ok' : 'FAILED'} ${v.header ?? '(no header)'} = ${v.value ?? '(none)'}`, ...v.problems.map((p) => `    problem: ${p}`));
      started += 1;
      say(lines.join('\n'));
    },
    onCall: (c) => {
      live.call(c);
      say(formatCall(c));
    },
  };
  const report = await runHeadless<AnswerReport>('answer', options, { dbFile: (values.db as string | undefined) ?? null, log: stderrLog, signal: interrupted.signal });
  const written = live.finish(report);
  return finish(written, values.json === '-' ? '-' : undefined, false, say);
}

/** The `--cxone-*` flags of `answer` for a remote CXone. */
interface RemoteCxoneFlags {
  'cxone-auth'?: string;
  'cxone-region'?: string;
  'cxone-client-auth'?: string;
  'cxone-issuer'?: string;
  'cxone-client-id'?: string;
  'cxone-ca'?: string;
}

/**
 * A remote CXone target from `--cxone-api <base-url|discover>`, the `--cxone-*` flags and the
 * environment (CXONE_ACCESS_KEY_ID/SECRET, CXONE_CLIENT_SECRET): secrets never come from flags.
 * @throws UsageError naming what to set.
 */
function remoteCxoneApi(apiArg: string, flags: RemoteCxoneFlags): CxoneApiTarget {
  if (apiArg !== 'discover' && !/^https?:\/\//.test(apiArg)) {
    throw new UsageError(`--cxone-api "${apiArg}": give a base URL (https://api-na1.niceincontact.com), "discover" or "embedded"`);
  }
  const accessKeyId = process.env.CXONE_ACCESS_KEY_ID;
  const accessKeySecret = process.env.CXONE_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) {
    throw new UsageError('a real CXone API needs an access key: set CXONE_ACCESS_KEY_ID and CXONE_ACCESS_KEY_SECRET (CXone: My Profile → Access Keys)');
  }
  const issuer = flags['cxone-issuer'];
  const clientId = flags['cxone-client-id'];
  if ((issuer === undefined) !== (clientId === undefined)) throw new UsageError('--cxone-issuer and --cxone-client-id go together (the OAuth password grant of a registered app)');
  let oauth: { issuer: string; clientId: string; clientSecret: string; authMethod?: 'client_secret_basic' | 'client_secret_post' | 'auto' } | undefined;
  if (issuer && clientId) {
    const clientSecret = process.env.CXONE_CLIENT_SECRET;
    if (!clientSecret) throw new UsageError('the OAuth password grant needs the app\'s client secret: set CXONE_CLIENT_SECRET');
    const auth = flags['cxone-client-auth'] ?? 'auto';
    if (auth !== 'basic' && auth !== 'post' && auth !== 'auto') throw new UsageError(`--cxone-client-auth "${auth}": basic, post or auto`);
    oauth = { issuer, clientId, clientSecret, authMethod: auth === 'auto' ? 'auto' : auth === 'basic' ? 'client_secret_basic' : 'client_secret_post' };
  }
  const region = regionAuth(apiArg, flags, !!oauth);
  if (apiArg === 'discover' && !oauth && !flags['cxone-auth'] && !region) {
    throw new UsageError('--cxone-api discover needs where to get the token: --cxone-auth https://{area}.nice-incontact.com, or --cxone-issuer with --cxone-client-id');
  }
  let caPem: string | undefined;
  if (flags['cxone-ca']) {
    try {
      caPem = readFileSync(flags['cxone-ca'], 'utf8');
    } catch (e) {
      throw new UsageError(`--cxone-ca ${flags['cxone-ca']}: ${(e as Error).message}`);
    }
  }
  return {
    kind: 'remote',
    ...(apiArg !== 'discover' ? { apiBase: apiArg } : {}),
    ...(flags['cxone-auth'] ? { authBase: flags['cxone-auth'] } : region ? { authBase: region } : {}),
    ...(oauth ? { oauth } : {}),
    ...(caPem ? { caPem } : {}),
    credentials: { accessKeyId, accessKeySecret },
  };
}

/** The access-key token host from --cxone-region (issue 14), or null; a cluster-form API host without one is a usage error. */
function regionAuth(apiArg: string, flags: RemoteCxoneFlags, oauth: boolean): string | null {
  const region = flags['cxone-region'];
  if (region !== undefined && !AREA_PATTERN.test(region)) throw new UsageError(`--cxone-region "${region}": a region such as na1, au1 or eu1`);
  if (region) return regionAuthBase(region);
  const d = apiArg === 'discover' || oauth || flags['cxone-auth'] ? null : deriveAuthBase(apiArg);
  if (d && 'error' in d) throw new UsageError(d.error);
  return null;
}

function formatCall(c: CallReport): string {
  return formatRunReport({ ok: c.checks.every((k) => k.ok), runId: '-', kind: 'answer', profile: c.profile, transport: c.transport, db: null, calls: [c] }, { headers: false })
    .split('\n')
    .slice(1, -1)
    .join('\n');
}

function finish(report: RunReport, json: string | undefined, printCalls = true, say: (line: string) => void = console.log): number {
  const text = (): string => (printCalls ? formatRunReport(report) : `${report.calls.length} call(s): ${report.ok ? 'PASS' : 'FAIL'}`);
  return emitResult(report, text, json, say);
}

/** Runs an option parser, turning its error into a usage error. */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function requireString(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new UsageError(`${name} is required`);
  return v;
}

function parseTransport(v: unknown): 'udp' | 'tcp' {
  if (v === 'udp' || v === 'tcp') return v;
  throw new UsageError(`--transport "${String(v)}": udp or tcp`);
}


main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A handle left open by a peer must not keep a finished command alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (e: unknown) => {
    const usage = e instanceof UsageError || e instanceof CliUsageError;
    // Typed like the dashboard's errors (shared/errors.ts): message — hint [kind].
    const info = usage ? { kind: 'usage' as const, message: (e as Error).message, hint: null } : toLabError(e);
    process.stderr.write(`error: ${formatLabError(info)}\n${info.kind === 'usage' ? 'run "lab help" (in a clone: npm run lab -- help) for usage\n' : ''}`);
    process.exitCode = 2;
  },
);
