/**
 * pcap/pcapng import (issue 6): reads a capture, rebuilds its calls and their ladders, verifies the
 * contact id of each INVITE under a chosen vendor profile, and keeps them in history as a run of
 * kind `import` (its options name the file), so they show, report and replay like recorded calls.
 *
 * Handles SIP over UDP and TCP (reassembled by Content-Length), IPv4 and IPv6 (fragments
 * reassembled), Ethernet, Linux cooked capture v1/v2 (`tcpdump -i any`), raw IP and BSD loopback;
 * every other packet is skipped and counted.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { VendorProfile } from '../../shared/profile';
import type { ContactIdVerdict, StoredCallState } from '../../shared/types';
import type { HistoryStore } from '../history/store';
import { getProfile } from '../profiles';
import { readCapture } from './capture-reader';
import { decodeIpPacket, decodeTransport } from './decode-frame';
import { IpReassembler } from './ip-reassembly';
import { rebuildCalls } from './rebuild-calls';
import { SipExtractor } from './sip-extractor';

/** The run kind of imported calls in history (`runs.kind`). */
export const IMPORT_RUN_KIND = 'import';

/** Options of {@link importCapture}. */
export interface ImportOptions {
  /** Vendor profile (id of a built-in, or a profile object such as a custom one) to verify each INVITE under. */
  profile: string | VendorProfile;
  /** History to keep the run in; null or absent: nothing is stored (the summary still says everything). */
  store?: HistoryStore | null;
  /** Name shown for the file (default: the path's base name). */
  fileName?: string;
}

/** One imported call, as listed by the summary. */
export interface ImportedCall {
  /** History id of the call (a new UUID). */
  callRef: string;
  callId: string;
  from: string;
  to: string;
  requestUri: string;
  state: StoredCallState;
  messages: number;
  verdict: ContactIdVerdict;
}

/** What an import found and kept. `ok`: at least one call, and every contact-id verdict ok. */
export interface ImportSummary {
  ok: boolean;
  /** The import run in history; null when nothing was stored. */
  runId: string | null;
  file: string;
  format: 'pcap' | 'pcapng' | null;
  profile: string;
  frames: number;
  sipMessages: number;
  calls: ImportedCall[];
  /** Messages of dialogs without INVITE (REGISTER, OPTIONS…), by method. */
  otherDialogs: Record<string, number>;
  /** Packets skipped: not IP, not UDP/TCP, or not SIP. */
  skipped: { notIp: number; notUdpTcp: number; notSip: number; unreadableSip: number; incompleteFragments: number; tcpGaps: number };
  /** Why the file could not be read to its end; null when it was. */
  error: string | null;
}

/**
 * Imports a capture held in memory.
 * @returns the summary; a corrupt file yields the calls found before the damage and `error`.
 * @throws Error for an unknown profile id, or when history refuses the writes.
 */
export function importCapture(bytes: Uint8Array, opts: ImportOptions & { fileName: string }): ImportSummary {
  const profile = typeof opts.profile === 'string' ? getProfile(opts.profile) : opts.profile;
  const contents = readCapture(bytes);
  const reasm = new IpReassembler();
  const sip = new SipExtractor();
  const skipped = { notIp: 0, notUdpTcp: 0, notSip: 0, unreadableSip: 0, incompleteFragments: 0, tcpGaps: 0 };
  for (const f of contents.frames) {
    const part = decodeIpPacket(f.linkType, f.data);
    if (!part) {
      skipped.notIp++;
      continue;
    }
    const ip = reasm.add(part);
    if (!ip) continue;
    const seg = decodeTransport(ip);
    if (!seg) {
      skipped.notUdpTcp++;
      continue;
    }
    sip.add(seg, ip.src, ip.dst, f.wallMs, f.index);
  }
  skipped.notSip = sip.nonSip;
  skipped.tcpGaps = sip.tcpGaps;
  skipped.incompleteFragments = reasm.incomplete;

  const store = opts.store ?? null;
  const importedWallMs = Date.now();
  const runId = store ? randomUUID() : null;
  const rebuilt = rebuildCalls(sip.messages, profile, runId ?? '');
  skipped.unreadableSip = rebuilt.unreadable;
  const ok = rebuilt.calls.length > 0 && rebuilt.calls.every((c) => c.verdict.ok);
  if (store && runId) {
    const transports = [...new Set(rebuilt.calls.map((c) => c.call.transport))];
    const first = rebuilt.calls[0]?.call.startedWallMs ?? importedWallMs;
    const last = Math.max(first, ...rebuilt.calls.map((c) => c.messages[c.messages.length - 1]?.wallMs ?? first));
    store.transaction(() => {
      store.createRun({
        id: runId,
        kind: IMPORT_RUN_KIND,
        profile: profile.id,
        transport: transports.join('+') || 'none',
        options: { file: opts.fileName, format: contents.format, frames: contents.frames.length, sipMessages: sip.messages.length, importedWallMs, error: contents.error },
        startedWallMs: first,
      });
      for (const c of rebuilt.calls) {
        store.saveCall(c.call);
        for (const m of c.messages) store.addSipMessage(c.call.id, m);
        for (const k of c.checks) store.addCheck({ ...k, runId, callRef: c.call.id });
      }
      store.finishRun(runId, { ok, endedWallMs: last });
    });
  }
  return {
    ok,
    runId,
    file: opts.fileName,
    format: contents.format,
    profile: profile.id,
    frames: contents.frames.length,
    sipMessages: sip.messages.length,
    calls: rebuilt.calls.map((c) => ({
      callRef: c.call.id,
      callId: c.call.callId,
      from: c.call.from,
      to: c.call.to,
      requestUri: c.call.requestUri,
      state: c.call.state,
      messages: c.messages.length,
      verdict: c.verdict,
    })),
    otherDialogs: rebuilt.otherDialogs,
    skipped,
    error: contents.error,
  };
}

/**
 * Imports a capture file (`.pcap` or `.pcapng`; the format is read from its magic number).
 * @throws Error when the file cannot be read, for an unknown profile id, or when history refuses the writes.
 */
export function importCaptureFile(path: string, opts: ImportOptions): ImportSummary {
  const bytes = readFileSync(path);
  return importCapture(bytes, { ...opts, fileName: opts.fileName ?? basename(path) });
}

/** The summary for a terminal: one line per call with its verdict, then what was skipped. */
export function formatImportSummary(s: ImportSummary): string {
  const lines = [`imported ${s.file} (${s.format ?? 'unknown format'}): ${s.frames} frames, ${s.sipMessages} SIP messages, ${s.calls.length} call(s); profile ${s.profile}`];
  if (s.runId) lines.push(`history run ${s.runId} (kind ${IMPORT_RUN_KIND})`);
  for (const c of s.calls) {
    const v = c.verdict;
    lines.push(`call ${c.callId}  ${c.state}, ${c.messages} messages  (${c.callRef})`);
    lines.push(`  INVITE ${c.requestUri}  From ${c.from}`);
    lines.push(`  contact id: ${v.ok ? 'ok' : 'FAILED'} ${v.header ?? '(no header)'} = ${v.value ?? '(none)'}`);
    for (const p of v.problems) lines.push(`    problem: ${p}`);
    for (const n of v.nearMisses) lines.push(`    near miss (${n.kind}): ${n.detail}`);
  }
  const other = Object.entries(s.otherDialogs).map(([m, n]) => `${m}×${n}`);
  if (other.length > 0) lines.push(`not calls (no INVITE): ${other.join(', ')}`);
  const k = s.skipped;
  lines.push(`skipped: ${k.notIp} not IP, ${k.notUdpTcp} not UDP/TCP, ${k.notSip} not SIP, ${k.unreadableSip} unreadable SIP, ${k.incompleteFragments} incomplete fragments, ${k.tcpGaps} TCP gaps`);
  if (s.error) lines.push(`the file is damaged: ${s.error} (calls before the damage were imported)`);
  lines.push(s.ok ? 'PASS' : 'FAIL');
  return lines.join('\n');
}
