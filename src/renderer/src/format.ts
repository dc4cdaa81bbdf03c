/** Display formatting shared by the dashboard's components. */
import { SIGNAL_PARAM_NAMES, type SignalParams } from '../../shared/types';

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

/** Non-empty Signal parameters as a query string in p1..p9 order (`p1=AgentHandoff&p3=abc`). */
export function paramsSummary(params: SignalParams): string {
  const parts = SIGNAL_PARAM_NAMES.filter((n) => params[n]).map((n) => `${n}=${params[n] ?? ''}`);
  return parts.length ? parts.join('&') : '(no parameters)';
}

/** Whether a SIP header name is an extension (`X-`) header, case-insensitively. */
export function isXHeader(name: string): boolean {
  return /^x-/i.test(name);
}
