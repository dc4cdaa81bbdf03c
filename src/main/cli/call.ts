/**
 * `lab call <sip-uri|number> --profile <name> …`: places a call as CXone's PLACECALL would, through
 * a trunk or PBX when asked (digest auth, outbound proxy, REGISTER), plays the prompt, records,
 * and reports (scenarios/place-call.ts). The SIP password comes from SIP_PASSWORD or the keychain.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../paths';
import { CALLER_PROMPT, optionalPromptPath } from '../resources';
import { lookupSipPassword } from '../secrets/sip-password';
import type { PlaceCallRunOptions } from '../runs/place-call';
import { runHeadless } from '../runtime/headless';
import type { PlaceCallRunReport } from '../scenarios/place-call-report';
import { formatPlaceCallReport } from '../scenarios/place-call-report';
import { resolveCallTarget } from '../scenarios/trunk-target';
import { isDtmfString, type CallDtmfPlan } from '../scenarios/call-dtmf';
import { asUsage, CliUsageError, emitResult, sayFor, parseCommandArgs, parseHeaderOption, parseTlsFlags, TLS_FLAG_OPTIONS, type TlsFlags } from './args';
import { stderrLog } from './stderr-log';

/** Usage lines of the command, for the CLI's help. */
export const CALL_USAGE = `  call <sip-uri|number> --profile <name> [--trunk HOST[:PORT]] [--via PROXY-URI] [--user U[@DOMAIN]]
       [--register [--registrar URI] [--expires S]] [--header 'X-Name: value']... [--transport udp|tcp|tls]
       [--prompt FILE|none] [--record DIR|none] [--duration S] [--timeout S] [--local HOST[:PORT]]
       [--dtmf DIGITS [--dtmf-after S] [--dtmf-method rfc4733|info]]
       [--advertise ADDRESS] [--ca-file FILE] [--db FILE] [--json FILE]
      The app as CXone: PLACECALL to a bot with the profile's X- headers and an emulated contact id,
      plays the prompt (default resources/prompts/caller.wav), records the far end (default
      <data dir>/recordings), waits for the far end to hang up or --duration S, then BYE.
      A number goes to sip:<number>@<trunk>. --via: outbound proxy (Route: <proxy;lr>).
      --user: digest user and From user; its password comes from SIP_PASSWORD, else the keychain
      account sip:<user>@<domain> ("secret set" below). --register: REGISTER first (registrar:
      the trunk). --header adds a header or replaces the profile's of the same name ('X-Name:' removes it).
      --dtmf keys digits (0-9 * # A-D) --dtmf-after S after the answer (default 1), by RFC 4733
      (default) or SIP INFO (application/dtmf-relay); checked as dtmf-sent.`;



/**
 * Runs `lab call`.
 * @returns 0 when every check passed, 1 when one failed.
 * @throws {@link CliUsageError} on a usage mistake; Error on a set-up problem (exit status 2 either way).
 */
export async function callCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      profile: { type: 'string' },
      trunk: { type: 'string' },
      via: { type: 'string' },
      user: { type: 'string' },
      register: { type: 'boolean' },
      registrar: { type: 'string' },
      expires: { type: 'string' },
      header: { type: 'string', multiple: true },
      transport: { type: 'string', default: 'udp' },
      prompt: { type: 'string' },
      dtmf: { type: 'string' },
      'dtmf-after': { type: 'string' },
      'dtmf-method': { type: 'string' },
      record: { type: 'string' },
      duration: { type: 'string' },
      timeout: { type: 'string' },
      local: { type: 'string' },
      advertise: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'string' },
      ...TLS_FLAG_OPTIONS,
    },
    true,
  );
  if (positionals.length !== 1) throw new CliUsageError('give one target: a SIP URI (sip:bot@10.0.0.5:5060) or a number with --trunk');
  const target = positionals[0]!;
  const profile = values.profile;
  if (!profile) throw new CliUsageError('--profile is required');
  const transport = values.transport;
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') throw new CliUsageError(`--transport "${transport}": udp, tcp or tls`);
  const tls = asUsage(() => parseTlsFlags(values as TlsFlags, transport, false));
  const resolved = asUsage(() => resolveCallTarget(target, { trunk: values.trunk, outboundProxy: values.via }));
  const [user, userDomain] = (values.user ?? '').split('@') as [string, string | undefined];
  const domain = userDomain || resolved.domain;
  const headers = asUsage(() => (values.header ?? []).map(parseHeaderOption));
  const seconds = (name: 'expires' | 'duration' | 'timeout'): number | undefined => {
    const s = values[name];
    if (s === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(s)) throw new CliUsageError(`--${name} "${s}": a number of seconds`);
    return Number(s);
  };
  const local = values.local ? asUsage(() => parseLocal(values.local!)) : {};
  const prompt = values.prompt === 'none' ? null : (values.prompt ?? optionalPromptPath(CALLER_PROMPT));
  if (prompt && !existsSync(prompt)) throw new CliUsageError(`--prompt "${prompt}": no such file`);
  const dtmf = parseDtmfFlags(values.dtmf, values['dtmf-after'], values['dtmf-method']);
  const recordDir = values.record === 'none' ? null : (values.record ?? join(dataDir(), 'recordings'));
  const json = values.json;
  const say = sayFor(json);

  let password: string | undefined;
  let passwordSource: 'env' | 'keychain' | null = null;
  if (user) {
    const found = await lookupSipPassword(user, domain);
    if (found.password !== null) {
      password = found.password;
      passwordSource = found.source;
      say(`SIP password of ${found.account}: from ${found.source === 'env' ? 'SIP_PASSWORD' : 'the keychain'}`);
    } else process.stderr.write(`warning: ${found.note}; calling without credentials\n`);
  }
  const interrupted = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('interrupted: ending the call\n');
    interrupted.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const expires = seconds('expires');
    const duration = seconds('duration');
    const timeout = seconds('timeout');
    const options: PlaceCallRunOptions = {
      target,
      profile,
      transport,
      trunk: values.trunk,
      outboundProxy: values.via,
      user: user || undefined,
      domain,
      password,
      passwordSource,
      register: values.register ? { registrar: values.registrar, expiresS: expires } : false,
      headers,
      prompt,
      ...(dtmf ? { dtmf } : {}),
      recordDir,
      durationMs: duration === undefined ? undefined : duration * 1000,
      answerTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
      local: { ...local, advertiseHost: values.advertise },
      tls,
      onProgress: say,
    };
    const report = await runHeadless<PlaceCallRunReport>('call', options, { dbFile: values.db ?? null, signal: interrupted.signal, log: stderrLog });
    const status = emitResult(report, () => formatPlaceCallReport(report), json, say);
    // The text report ends with the error already; with --json - it is the only place it shows.
    if (report.error && json === '-') process.stderr.write(`error: ${report.error}\n`);
    return status;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Parses `--dtmf`, `--dtmf-after S`, `--dtmf-method rfc4733|info`. @throws {@link CliUsageError}. */
function parseDtmfFlags(digits: string | undefined, after: string | undefined, method: string | undefined): CallDtmfPlan | undefined {
  if (digits === undefined) {
    if (after !== undefined || method !== undefined) throw new CliUsageError('--dtmf-after and --dtmf-method need --dtmf DIGITS');
    return undefined;
  }
  if (!isDtmfString(digits)) throw new CliUsageError(`--dtmf "${digits}": DTMF digits are 0-9, *, #, A-D`);
  if (after !== undefined && !/^\d+(\.\d+)?$/.test(after)) throw new CliUsageError(`--dtmf-after "${after}": a number of seconds`);
  if (method !== undefined && method !== 'rfc4733' && method !== 'info') throw new CliUsageError(`--dtmf-method "${method}": rfc4733 or info`);
  return { digits, ...(after !== undefined ? { afterMs: Number(after) * 1000 } : {}), ...(method ? { method } : {}) };
}

/** Parses `--local HOST[:PORT]` (IPv6 in brackets). */
function parseLocal(value: string): { host: string; port?: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m || (m[2] !== undefined && Number(m[2]) > 65535)) throw new Error(`--local "${value}": expected HOST[:PORT], e.g. 0.0.0.0:5080`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), ...(m[2] !== undefined ? { port: Number(m[2]) } : {}) };
}

