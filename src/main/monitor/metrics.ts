/**
 * Prometheus metrics of a monitor (issue 13 item 7: "a Prometheus /metrics endpoint; pass/fail,
 * duration and latency per case, via a well-kept client library"), with prom-client on a registry
 * of its own, served as text exposition format 0.0.4 on `GET /metrics` (loopback by default).
 *
 * Per case (a test case's name; a handoff monitor's `handoff <profile> (<transport>)`):
 * - `cxlab_case_runs_total{case,result="pass"|"fail"}` counter;
 * - `cxlab_case_up{case}` gauge, 1 when the last run passed, 0 when it failed;
 * - `cxlab_case_duration_seconds{case}` histogram of each run's duration (s);
 * - `cxlab_case_latency_seconds{case,mark}` gauge, the last run's latency marks (design.md §4 names: invite_to_200, signal_http_ms…), in s;
 * - `cxlab_case_last_run_timestamp_seconds{case}` gauge (Unix s) of the last run's start.
 * Label values are case names: keep them free of secrets (they are, `${env:…}` is resolved later).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MonitorRunResult } from './schedule';

/** Buckets of the duration histogram (s): a call of a second to a few minutes. */
export const DURATION_BUCKETS_S = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/** One run of one case, as the metrics take it. */
export interface CaseObservation {
  name: string;
  ok: boolean;
  /** ms; null when unknown. */
  durationMs: number | null;
  /** Latency marks (ms) by name. */
  latency: Record<string, number | undefined>;
  startedWallMs: number;
}

/** The metrics of a monitor, on a registry of their own (no default process metrics). */
export class MonitorMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'cxlab_case_runs_total', help: 'Runs of a test case (or monitored scenario) by result', labelNames: ['case', 'result'] as const, registers: [this.registry] });
  private readonly up = new Gauge({ name: 'cxlab_case_up', help: '1 when the last run of the case passed, 0 when it failed', labelNames: ['case'] as const, registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'cxlab_case_duration_seconds',
    help: 'Duration of each run of the case (s)',
    labelNames: ['case'] as const,
    buckets: DURATION_BUCKETS_S,
    registers: [this.registry],
  });
  private readonly latency = new Gauge({ name: 'cxlab_case_latency_seconds', help: 'Latency marks of the last run of the case (s), by mark name', labelNames: ['case', 'mark'] as const, registers: [this.registry] });
  private readonly last = new Gauge({ name: 'cxlab_case_last_run_timestamp_seconds', help: 'Start of the last run of the case (Unix s)', labelNames: ['case'] as const, registers: [this.registry] });

  /** Records one run of one case. */
  observe(o: CaseObservation): void {
    const c = { case: o.name };
    this.runs.inc({ ...c, result: o.ok ? 'pass' : 'fail' });
    this.up.set(c, o.ok ? 1 : 0);
    if (o.durationMs !== null) this.duration.observe(c, o.durationMs / 1000);
    for (const [mark, ms] of Object.entries(o.latency)) if (typeof ms === 'number' && Number.isFinite(ms)) this.latency.set({ ...c, mark }, ms / 1000);
    this.last.set(c, Math.floor(o.startedWallMs / 1000));
  }

  /**
   * Records a monitor run: each case of a test run, or the run as one case named `fallbackName`
   * (a handoff, or a run that could not run at all).
   */
  observeRun(r: MonitorRunResult, fallbackName: string, durationMs: number | null): void {
    const named = r.report?.calls.filter((c) => c.name !== undefined) ?? [];
    if (named.length === 0) {
      this.observe({ name: fallbackName, ok: r.ok, durationMs, latency: r.latency as Record<string, number>, startedWallMs: r.startedWallMs });
      return;
    }
    for (const c of named) {
      this.observe({ name: c.name!, ok: c.ok ?? false, durationMs: c.durationMs ?? null, latency: c.latency as Record<string, number>, startedWallMs: r.startedWallMs });
    }
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A running /metrics endpoint. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Parses `--metrics-listen`: `host:port`, `[v6]:port` or a bare port (on 127.0.0.1).
 * @throws Error naming the expected form.
 */
export function parseMetricsListen(value: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`--metrics-listen "${value}": expected host:port (e.g. 127.0.0.1:9464) or a port`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

/**
 * Serves `GET /metrics` (and `HEAD`) from `metrics`; anything else is 404.
 * @param host - bind address; default loopback (127.0.0.1). Port 0 picks a free one.
 * @throws Error when the port cannot be bound (in use, not permitted).
 */
export async function serveMetrics(metrics: MonitorMetrics, port: number, host = '127.0.0.1'): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.text().then(
      (body) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(e as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `http://${shown}:${a.port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
