/**
 * `lab replay --call <id> --target <sip-uri> [--transport udp|tcp|tls] [--profile P] [--hold S]
 * [--db FILE] [--json FILE]`: sends a stored or imported INVITE's X- headers to a target again.
 */
import { defaultDbFile } from '../paths';
import { formatReplayReport, type ReplayReport } from '../replay/replay-call';
import { runHeadless } from '../runtime/headless';
import { asUsage, CliUsageError, emitResult, parseCommandArgs, parseTlsFlags, TLS_FLAG_OPTIONS, type TlsFlags } from './args';

/** Usage lines of the command, for the CLI's help. */
export const REPLAY_USAGE = `  replay --call <id|Call-ID> --target <sip-uri> [--transport udp|tcp|tls] [--profile <name>]
         [--hold S] [--timeout S] [--local HOST[:PORT]] [--advertise ADDRESS] [--ca-file FILE] [--db FILE] [--json FILE]
      Sends a stored or imported INVITE's X- headers (and its From user, and its To user when the
      target has none) to the target again, to reproduce a customer's call against a bot; reports
      the far end's answer and the contact-id verdict (and whether it equals the original's).`;

/**
 * Runs `lab replay`.
 * @returns 0 when the headers went out, the far end answered and the verdict equals the original's; 1 otherwise.
 * @throws CliUsageError on a usage mistake or an unknown call.
 */
export async function replayCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    call: { type: 'string' },
    target: { type: 'string' },
    transport: { type: 'string', default: 'udp' },
    profile: { type: 'string' },
    hold: { type: 'string' },
    timeout: { type: 'string' },
    local: { type: 'string' },
    advertise: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'string' },
    ...TLS_FLAG_OPTIONS,
  });
  if (!values.call) throw new CliUsageError('--call <id> is required (a history id or a Call-ID)');
  if (!values.target || !/^sips?:/i.test(values.target)) throw new CliUsageError('--target <sip-uri> is required, e.g. sip:bot@10.0.0.5:5060');
  const transport = values.transport;
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') throw new CliUsageError(`--transport "${transport}": udp, tcp or tls`);
  const seconds = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(v)) throw new CliUsageError(`--${name} "${v}": a number of seconds`);
    return Number(v) * 1000;
  };
  const tls = asUsage(() => parseTlsFlags(values as TlsFlags, transport, false));
  const local = values.local ? /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(values.local) : null;
  if (values.local && !local) throw new CliUsageError(`--local "${values.local}": HOST or HOST:PORT`);
  let report: ReplayReport;
  try {
    report = await runHeadless<ReplayReport & { kind: string }>(
      'replay',
      {
        call: values.call,
        target: values.target,
        transport,
        profile: values.profile,
        tls,
        holdMs: seconds('hold', values.hold),
        answerTimeoutMs: seconds('timeout', values.timeout),
        local: {
          ...(local ? { host: local[1]!.replace(/^\[|\]$/g, ''), ...(local[2] ? { port: Number(local[2]) } : {}) } : {}),
          ...(values.advertise ? { advertiseHost: values.advertise } : {}),
        },
      },
      { dbFile: values.db ?? defaultDbFile() },
    );
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
  return emitResult(report, () => formatReplayReport(report), values.json);
}
