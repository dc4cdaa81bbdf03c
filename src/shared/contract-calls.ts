/**
 * The contract's part for calls, history, Signals and latency (merged into LAB_CONTRACT by
 * contract.ts), and the live batch the renderer receives instead of whole calls.
 */
import { z } from 'zod';
import { byIdSchema, historySearchRequestSchema, limitSchema, placeCallRequestSchema, sendSignalRequestSchema } from './contract-schemas';
import { method } from './contract-method';
import type { ContactTimeline } from './timeline';
import type { CallDetail, CallSummary, CheckResult, LatencyMarkName, MediaReport, SignalRecord, SipMessageRecord } from './types';

/** A call placed by the app as CXone (see {@link placeCallRequestSchema}). */
export type PlaceCallRequest = z.infer<typeof placeCallRequestSchema>;

/** A Signal for a call or a bare contact id (see {@link sendSignalRequestSchema}). */
export type SendSignalRequest = z.infer<typeof sendSignalRequestSchema>;

/** Which field the history search text is matched against. */
export type HistorySearchField = 'any' | 'contactId' | 'callId' | 'number';

/** A page of the history search (see {@link historySearchRequestSchema}). */
export type HistorySearchRequest = z.infer<typeof historySearchRequestSchema>;

/** One page of matching calls, newest first, and how many match in all. */
export interface HistoryPage {
  total: number;
  offset: number;
  calls: CallSummary[];
}

/** A run as listed in history. */
export interface RunSummary {
  id: string;
  kind: string;
  profile: string;
  transport: string;
  startedWallMs: number;
  endedWallMs: number | null;
  ok: boolean | null;
  callCount: number;
}

/** A Signal as listed on the Signals screen: with its call's profile when known. Already redacted. */
export type SignalListEntry = SignalRecord & { profile: string | null };

/** p50/p95 (ms) of one latency mark over a set of calls. */
export interface MarkStats {
  count: number;
  p50: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
}

/** Latency marks across calls and runs (issue 5 item 4). */
export interface LatencyStats {
  /** Calls looked at (newest first, at most the request's limit). */
  calls: number;
  /** Over all those calls: mark → stats. */
  overall: Partial<Record<LatencyMarkName, MarkStats>>;
  /** profile id → mark → stats. */
  byProfile: Record<string, Partial<Record<LatencyMarkName, MarkStats>>>;
  /** Per run (oldest first): p50/p95 of each mark. Calls without a run are grouped by day as `day:YYYY-MM-DD`. */
  byRun: Array<{ run: string; startedWallMs: number; profile: string; marks: Partial<Record<LatencyMarkName, MarkStats>> }>;
  /** Each call's marks, oldest first, for the per-call series. */
  series: Array<{ id: string; startedWallMs: number; profile: string; latency: Partial<Record<LatencyMarkName, number>> }>;
}

/** The WAV recording of a call, as bytes (base64) so that both hosts carry it the same way. */
export interface RecordingData {
  mime: 'audio/wav';
  base64: string;
  bytes: number;
}

/** A change of a call's summary: always its id, then only the fields that changed (the whole summary on its first appearance). */
export type CallDelta = Pick<CallSummary, 'id'> & Partial<CallSummary>;

/**
 * Live changes, coalesced by the host (issue 5 item 9; deltas since issue 11): at most one batch per
 * interval (~100 ms). The renderer applies them to what it holds; it never refetches a whole call
 * for a live change.
 */
export interface LiveBatch {
  /** Calls that changed, each once, in the order of their last change: the changed fields. */
  calls: CallDelta[];
  /** Internal call id → SIP messages recorded since the previous batch (a count). */
  sipMessages: Record<string, number>;
  /** Internal call id → the SIP messages recorded since the previous batch, in wire order. */
  messages: Record<string, SipMessageRecord[]>;
  /** Internal call id → checks recorded since the previous batch. */
  checks: Record<string, CheckResult[]>;
  /** Internal call id → its media report (written once, when the call is over). */
  media: Record<string, MediaReport>;
}

const byId = byIdSchema;
const limitOnly = limitSchema;

/** The Calls, History, Signals and Latency screens' methods. */
export const CALLS_METHODS = {
  'calls/list': method<typeof limitOnly, CallSummary[]>(limitOnly),
  'calls/get': method<typeof byId, CallDetail>(byId),
  'calls/place': method<typeof placeCallRequestSchema, { callRef: string }>(placeCallRequestSchema),
  'calls/hangup': method<typeof byId, null>(byId),
  /** Keys DTMF digits (0-9 * # A-D) on a live call by RFC 4733 or SIP INFO (media/conversation.ts); resolves once sent. */
  'calls/dtmf': method<z.ZodType<{ id: string; digits: string; method: 'rfc4733' | 'info' }>, null>(
    z.object({ id: z.string().min(1).max(200), digits: z.string().regex(/^[0-9*#A-Da-d]{1,32}$/), method: z.enum(['rfc4733', 'info']) }).strict(),
  ),
  'calls/recording': method<typeof byId, RecordingData>(byId),
  'history/search': method<typeof historySearchRequestSchema, HistoryPage>(historySearchRequestSchema),
  'history/runs': method<typeof limitOnly, RunSummary[]>(limitOnly),
  /** Everything that carried a contact id, as one timeline (issue 15; src/shared/timeline.ts). */
  'history/contact': method<z.ZodType<{ contactId: string }>, ContactTimeline>(z.object({ contactId: z.string().trim().min(1).max(100) }).strict()),
  'signals/send': method<typeof sendSignalRequestSchema, SignalRecord>(sendSignalRequestSchema),
  'signals/list': method<typeof limitOnly, SignalListEntry[]>(limitOnly),
  'latency/stats': method<z.ZodType<{ profile?: string; limit?: number }>, LatencyStats>(
    z.object({ profile: z.string().min(1).max(100).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict(),
  ),
};
