/**
 * `lab load` (issue 12 §4, §5): places calls at a rate as CXone's PLACECALL would, on the runtime
 * (`runtime.run('load', …)`), with a progress line, reports written as it goes, and the SIPp export.
 */
import { writeFileSync } from 'node:fs';
import { exportSipp } from '../load/sipp-export';
import { csvContacts, freshContacts } from '../load/contacts';
import { loadReportHtml, loadReportJunit } from '../load/load-html';
import type { LoadOptions } from '../load/options';
import { formatLoadReport, type LoadReport } from '../load/report';
import { getProfile } from '../profiles';
import { LiveRunReport } from '../reports/journal-run';
import { writeAtomically } from '../reports/journal';
import type { LoadCallEvent, LoadProgress } from '../runs/load';
import { LabRuntime } from '../runtime/lab-runtime';
import { asUsage, CliUsageError, emitResult, parseCommandArgs, parseHeaderOption, sayFor } from './args';
import { stderrLog } from './stderr-log';

/** The usage lines of `load`. */
export const LOAD_USAGE = `  load --target <sip-uri> --profile <name> --rate <calls/s> --calls N [--concurrent M] [--duration S]
       [--contacts FILE.csv] [--transport udp|tcp|tls [--ca-file PEM]] [--hold MS] [--media] [--header 'X-Name: v']
       [--db FILE] [--json FILE] [--journal FILE.jsonl] [--html FILE] [--junit FILE] [--export-sipp DIR]
      Places calls as CXone's PLACECALL would (the profile's X- headers, a fresh contact id per call or
      the CSV's), at a rate; reports attempted/answered/failed by status, calls/s achieved, INVITE→100/180/200
      p50/p95/p99, and the far end's contact-id verdicts when it is the app sharing --db. --hold: our BYE
      this long after the answer unless the far end hangs up first (default 0). --export-sipp DIR writes
      the same load as a SIPp scenario + injection CSV + README instead of running it.`;

const OPTIONS = {
  target: { type: 'string' },
  profile: { type: 'string' },
  rate: { type: 'string' },
  calls: { type: 'string' },
  concurrent: { type: 'string' },
  duration: { type: 'string' },
  contacts: { type: 'string' },
  transport: { type: 'string', default: 'udp' },
  'ca-file': { type: 'string' },
  hold: { type: 'string', default: '0' },
  media: { type: 'boolean' },
  header: { type: 'string', multiple: true },
  db: { type: 'string' },
  json: { type: 'string' },
  journal: { type: 'string' },
  html: { type: 'string' },
  junit: { type: 'string' },
  'export-sipp': { type: 'string' },
} as const;

function num(v: unknown, name: string, opts: { int?: boolean; min?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || n < (opts.min ?? 0) || (opts.min === undefined && n <= 0)) {
    throw new CliUsageError(`${name} "${String(v)}": ${opts.int ? 'a whole number' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ' > 0'}`);
  }
  return n;
}

/**
 * Runs `lab load`.
 * @returns 0 when every call was answered and ended well, 1 otherwise (or interrupted), 2 on usage.
 */
export async function loadCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  const target = values.target;
  const profileId = values.profile;
  if (!target) throw new CliUsageError('--target <sip-uri> is required');
  if (!profileId) throw new CliUsageError('--profile is required');
  const transport = values.transport;
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') throw new CliUsageError(`--transport "${transport}": udp, tcp or tls`);
  const rate = num(values.rate, '--rate');
  if (rate === undefined) throw new CliUsageError('--rate <calls/s> is required');
  const calls = num(values.calls, '--calls', { int: true, min: 1 });
  const durationS = num(values.duration, '--duration');
  if (calls === undefined && durationS === undefined) throw new CliUsageError('--calls N (or --duration S) is required');
  const options: LoadOptions = {
    target,
    profile: profileId,
    rate,
    ...(calls !== undefined ? { calls } : {}),
    ...(values.concurrent !== undefined ? { concurrent: num(values.concurrent, '--concurrent', { int: true, min: 1 }) } : {}),
    ...(durationS !== undefined ? { durationMs: durationS * 1000 } : {}),
    ...(values.contacts ? { contactsFile: values.contacts } : {}),
    transport,
    ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}),
    holdMs: num(values.hold, '--hold', { min: 0 }) ?? 0,
    media: values.media ?? false,
    headers: (values.header ?? []).map((h) => asUsage(() => parseHeaderOption(h))),
  };
  const say = sayFor(values.json);

  if (values['export-sipp']) {
    const profile = asUsage(() => getProfile(profileId));
    const contacts = options.contactsFile ? asUsage(() => csvContacts(options.contactsFile!)) : freshContacts;
    const out = asUsage(() =>
      exportSipp({ dir: values['export-sipp']!, profile, target, transport, rate, calls: calls ?? Math.ceil(rate * (durationS ?? 1)), concurrent: options.concurrent, holdMs: options.holdMs ?? 0, contacts, headers: options.headers }),
    );
    say(`SIPp scenario: ${out.scenario}\ninjection file: ${out.injection}\nrun it: cd ${values['export-sipp']} && ${out.command}\n(see ${out.readme})`);
    return 0;
  }

  const runtime = LabRuntime.open({ dbFile: values.db ?? null, log: stderrLog });
  const marked = runtime.store?.interruptedAtOpen.calls ?? 0;
  if (marked > 0) process.stderr.write(`history: ${marked} call(s) left open by a stopped process marked interrupted\n`);
  const base = { kind: 'load', profile: profileId, transport, target, db: runtime.store?.file ?? null };
  const live = new LiveRunReport({ json: values.json, journal: values.journal, base, jsonCalls: false, minIntervalMs: 1000 });
  const abort = new AbortController();
  let last: LoadProgress = { attempted: 0, answered: 0, failed: 0, open: 0 };
  const progress = progressLine(() => last, rate);
  const off = runtime.events.on('run/call', (e) => {
    if (e.kind !== 'load') return;
    const ev = e.report as LoadCallEvent;
    last = ev.progress;
    live.call(ev);
    live.update({ progress: ev.progress });
  });
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const h = (): void => {
      process.stderr.write(`\ninterrupted (${sig}): ending the calls up (BYE/CANCEL) and writing the report\n`);
      live.interrupted(sig, last.open);
      abort.abort();
    };
    process.once(sig, h);
    return [sig, h] as const;
  });
  let report: LoadReport;
  try {
    report = await runtime.run<LoadReport>('load', options, { signal: abort.signal });
  } finally {
    progress.stop();
    off();
    for (const [sig, h] of handlers) process.off(sig, h);
    await runtime.close();
  }
  const written = live.finish(report, { figures: report.figures });
  if (values.html) writeAtomically(values.html, loadReportHtml(written));
  if (values.junit) writeFileSync(values.junit, loadReportJunit(written));
  return emitResult(written, () => formatLoadReport(written), values.json === '-' ? '-' : undefined, say);
}

/** The live progress line on standard error: rewritten in place on a TTY, a plain line every 5 s otherwise. */
function progressLine(get: () => LoadProgress, rate: number): { stop: () => void } {
  const tty = process.stderr.isTTY === true;
  const t0 = Date.now();
  const text = (): string => {
    const p = get();
    const s = (Date.now() - t0) / 1000;
    return `load: ${s.toFixed(0)} s  attempted ${p.attempted}  answered ${p.answered}  failed ${p.failed}  open ${p.open}  (asked ${rate}/s)`;
  };
  const timer = setInterval(() => process.stderr.write(tty ? `\r\x1b[K${text()}` : `${text()}\n`), tty ? 250 : 5000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (tty) process.stderr.write(`\r\x1b[K${text()}\n`);
    },
  };
}

