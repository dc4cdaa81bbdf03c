/**
 * The contract's part for report exports, capture imports and monitors (issue 6; merged into
 * LAB_CONTRACT by contract.ts).
 */
import { z } from 'zod';
import { byIdSchema, monitorStartRequestSchema, pcapImportRequestSchema, reportExportRequestSchema, type EXPORT_FORMATS } from './contract-schemas';
import { method } from './contract-method';
import type { LatencyMarkName } from './types';

/** Formats of an export from the dashboard: the report formats and the pcap trace (issue 6). */
export { EXPORT_FORMATS, MAX_IMPORT_BYTES } from './contract-schemas';
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export request (see {@link reportExportRequestSchema}). Secrets are always redacted. */
export type ReportExportRequest = z.infer<typeof reportExportRequestSchema>;
/** What to export: a run of history (all its calls) or calls by their history ids. */
export type ExportSelection = ReportExportRequest['selection'];

/** One exported file, as bytes (base64) with the name and MIME type to save it under. */
export interface ExportedFile {
  format: ExportFormat;
  fileName: string;
  mime: string;
  base64: string;
  bytes: number;
}

/** A capture to import (pcap or pcapng), as bytes (base64); see {@link pcapImportRequestSchema}. */
export type PcapImportRequest = z.infer<typeof pcapImportRequestSchema>;

/** One call found in an imported capture. */
export interface ImportedCallView {
  callRef: string;
  callId: string;
  from: string;
  to: string;
  state: string;
  messages: number;
  contactId: string | null;
  verdictOk: boolean;
  verdictReason: string | null;
}

/** What an import did: the run kept in history (kind `import`) and each call's verdict. */
export interface PcapImportResult {
  /** At least one call, every contact-id verdict ok. */
  ok: boolean;
  runId: string | null;
  file: string;
  format: 'pcap' | 'pcapng' | null;
  frames: number;
  sipMessages: number;
  calls: ImportedCallView[];
  /** Why the file could not be read to its end; null when it was. */
  error: string | null;
}

/** A scheduled monitor to start from the dashboard (issue 6, monitoring); see {@link monitorStartRequestSchema}. */
export type MonitorStartRequest = z.infer<typeof monitorStartRequestSchema>;

/** One run of a dashboard monitor. */
export interface MonitorRunView {
  index: number;
  startedWallMs: number;
  ok: boolean;
  runId: string | null;
  /** Why it could not run, or the failed checks, one line each. */
  problems: string[];
  /** INVITE→200 (ms) of the run, when measured. */
  inviteTo200Ms: number | null;
}

/** A dashboard monitor with its last runs (newest last, at most 20). */
export interface MonitorView {
  id: string;
  scenario: 'handoff' | 'test';
  /** `test`: the case files or folders it runs. */
  paths?: string[];
  profile: string;
  transport: 'udp' | 'tcp';
  everyMs: number;
  faults: string[];
  state: 'running' | 'stopping' | 'stopped';
  startedWallMs: number;
  passed: number;
  failed: number;
  runs: MonitorRunView[];
}

/** The monitors and the fault specs a monitor can inject. */
export interface MonitorList {
  monitors: MonitorView[];
  faultSpecs: string[];
}

/** One run of a scenario's trend (as monitor/trend.ts `TrendPoint`). */
export interface ScenarioTrendPoint {
  runId: string;
  startedWallMs: number;
  ok: boolean | null;
  latency: Partial<Record<LatencyMarkName, number>>;
  failedChecks: string[];
  faults: string[];
}

/** The verdict history and latency trend of one scenario: kind + profile + transport (monitor/trend.ts). */
export interface ScenarioTrendView {
  kind: string;
  profile: string;
  transport: string;
  points: ScenarioTrendPoint[];
  passed: number;
  failed: number;
  marks: Partial<Record<LatencyMarkName, { count: number; median: number; p95: number; last: number }>>;
}

const byId = byIdSchema;

/** The export, import and Monitor screen's methods. */
export const MONITOR_METHODS = {
  /** Builds report files of a run or of calls (issue 6). */
  'reports/export': method<typeof reportExportRequestSchema, ExportedFile[]>(reportExportRequestSchema),
  /** Imports a pcap/pcapng into history as a run of kind `import`. */
  'import/pcap': method<typeof pcapImportRequestSchema, PcapImportResult>(pcapImportRequestSchema),
  'monitor/start': method<typeof monitorStartRequestSchema, MonitorView>(monitorStartRequestSchema),
  /** Stops a monitor after its run in progress; resolves with its final view. */
  'monitor/stop': method<typeof byId, MonitorView>(byId),
  'monitor/list': method<z.ZodNull, MonitorList>(z.null()),
  /** Trends of the handoff scenario, most recently run first; `profile`/`transport` narrow them. */
  'monitor/trends': method<z.ZodType<{ profile?: string; transport?: string; limit?: number }>, ScenarioTrendView[]>(
    z.object({ profile: z.string().min(1).max(100).optional(), transport: z.string().min(1).max(10).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict(),
  ),
};
