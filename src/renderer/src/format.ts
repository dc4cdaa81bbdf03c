/** Display formatting shared by the dashboard's components. */
import { formatSignalParams } from '../../shared/signal-params';
import type { SignalParams } from '../../shared/types';

/** Milliseconds with one decimal (`12.3 ms`); `—` when unknown. */
export function fmtMs(ms: number | null | undefined): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '—';
}

/** Wall-clock time of day with milliseconds (`14:03:07.412`), local time zone. */
export function fmtClock(wallMs: number | null | undefined): string {
  if (typeof wallMs !== 'number' || !Number.isFinite(wallMs)) return '—';
  const d = new Date(wallMs);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A long SIP Call-ID shortened for a list (`3f9a1c2e…`), the full one goes in a tooltip. */
export function shortCallId(callId: string, keep = 10): string {
  return callId.length > keep + 1 ? `${callId.slice(0, keep)}…` : callId;
}

/** Non-empty Signal parameters as a query string in p1..p9 order (`p1=AgentHandoff&p3=abc`), `no parameters` when none: the one form (shared/signal-params.ts). */
export function paramsSummary(params: SignalParams): string {
  return formatSignalParams(params);
}

/** Whether a SIP header name is an extension (`X-`) header, case-insensitively. */
export function isXHeader(name: string): boolean {
  return /^x-/i.test(name);
}

/** Local date and time to the second (`2025-03-07 14:03:07`). */
export function fmtDateTime(wallMs: number | null | undefined): string {
  if (typeof wallMs !== 'number' || !Number.isFinite(wallMs)) return '—';
  const d = new Date(wallMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A byte count for people (`1.2 MB`). */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A percentage with one decimal (`0.4 %`). */
export function fmtPercent(p: number | null | undefined): string {
  return typeof p === 'number' && Number.isFinite(p) ? `${p.toFixed(1)} %` : '—';
}

/** The user part of a SIP URI in a From/To value (`"Bob" <sip:+1555@host>;tag=1` → `+1555`), else the value. */
export function sipUser(value: string): string {
  const m = /sips?:([^@;>]+)@/i.exec(value);
  return m?.[1] ?? value;
}

/** A short label of a SIP message for a ladder arrow: the method of a request, `200 OK` for a response. */
export function messageLabel(firstLine: string, method: string, status?: number): string {
  if (status === undefined) return method;
  const reason = firstLine.replace(/^SIP\/2\.0\s+\d{3}\s*/i, '');
  return `${status} ${reason}`.trim();
}
