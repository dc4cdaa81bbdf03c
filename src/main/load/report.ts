/**
 * The report of a load run: its `--json` shape (fields may be added, none renamed) and its text
 * form for a terminal.
 */
import type { LoadFigures } from './stats';
import type { Percentiles } from './histogram';

/** A load run's report. */
export interface LoadReport {
  /** True when calls ran, none failed, none was left open, and no far-end contact-id verdict failed. */
  ok: boolean;
  runId: string;
  kind: 'load';
  status: 'complete' | 'interrupted';
  profile: string;
  transport: string;
  target: string;
  db: string | null;
  /** What was asked: rate (calls/s), calls, concurrent, duration (ms), hold (ms), media, contacts source. */
  requested: {
    rate: number;
    calls: number | null;
    concurrent: number | null;
    durationMs: number | null;
    holdMs: number;
    media: boolean;
    contacts: string;
  };
  figures: LoadFigures;
}

/** Whether the figures make a passing run. */
export function loadOk(f: LoadFigures): boolean {
  return f.attempted > 0 && f.failed === 0 && f.open === 0 && (f.farVerdicts?.failed ?? 0) === 0;
}

function pct(p: Percentiles): string {
  if (p.count === 0) return '-';
  return `p50 ${p.p50} / p95 ${p.p95} / p99 ${p.p99} / max ${p.max} ms (${p.count})`;
}

/** The report as terminal lines. */
export function formatLoadReport(r: LoadReport): string {
  const f = r.figures;
  const lines = [
    `load ${r.runId} (profile ${r.profile}, ${r.transport}) → ${r.target}${r.status === 'interrupted' ? '  [interrupted]' : ''}`,
    `  asked: ${r.requested.rate} calls/s, ${r.requested.calls ?? '∞'} calls${r.requested.concurrent ? `, ≤ ${r.requested.concurrent} at once` : ''}${r.requested.durationMs ? `, ${r.requested.durationMs / 1000} s` : ''}, hold ${r.requested.holdMs} ms${r.requested.media ? ', media' : ''}; contacts: ${r.requested.contacts}`,
    `  attempted ${f.attempted}, answered ${f.answered}, failed ${f.failed}${f.open ? `, open ${f.open}` : ''}; ${f.callsPerSecond} calls/s achieved; peak ${f.peakConcurrent} at once; ${(f.elapsedMs / 1000).toFixed(1)} s`,
  ];
  for (const x of f.failedBy) lines.push(`    failed: ${x.count} × ${x.reason}`);
  lines.push(`  INVITE→100: ${pct(f.latency.invite_to_100)}`);
  lines.push(`  INVITE→180: ${pct(f.latency.invite_to_180)}`);
  lines.push(`  INVITE→200: ${pct(f.latency.invite_to_200)}`);
  if (f.farVerdicts) lines.push(`  far end's contact-id verdicts: ${f.farVerdicts.ok} ok, ${f.farVerdicts.failed} failed, ${f.farVerdicts.unknown} unknown`);
  if (f.media) lines.push(`  media: ${f.media.calls} calls, ${f.media.packets} RTP packets received, ${f.media.lost} lost, mean jitter ${f.media.meanJitterMs} ms`);
  lines.push(r.ok ? 'PASS' : 'FAIL');
  return lines.join('\n');
}
