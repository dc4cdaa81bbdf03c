/**
 * The CXone API lane: each Signal's token request and its HTTP exchange, with status and duration.
 * A Signal's `wallMs` is its start (token first, then the request: cxone/client.ts); its
 * `doneMonoMs` the monotonic stamp of the complete response; `ms` the request's total time.
 */
import type { HttpExchange } from '../../shared/types';
import { signalDoneMono, signalStartMono, type ClockPlan } from './clock';
import { RANK, type DraftEvent } from './draft';
import type { TimelineSignalInput } from './input';

function fmt(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : `${Math.round(ms * 10) / 10} ms`;
}

/** The HTTP exchange in words: request line and headers, response status, headers and body, phase timings (already redacted in history). */
export function exchangeDetail(x: HttpExchange): string {
  const lines = [`${x.request.method} ${x.request.url}`];
  for (const [k, v] of Object.entries(x.request.headers)) lines.push(`${k}: ${v}`);
  if (x.request.body) lines.push('', x.request.body);
  lines.push('');
  if (x.response) {
    lines.push(`← ${x.response.status}`);
    for (const [k, v] of Object.entries(x.response.headers)) lines.push(`${k}: ${v}`);
    if (x.response.body) lines.push('', x.response.body.slice(0, 2000));
  } else {
    lines.push(`← no response: ${x.error ?? 'unknown'}`);
  }
  const t = x.timings;
  if (t) lines.push('', `timings: dns ${fmt(t.dnsMs)}, connect ${fmt(t.connectMs)}, tls ${fmt(t.tlsMs)}, first byte ${fmt(t.firstByteMs)}, total ${fmt(t.totalMs)}`);
  return lines.join('\n');
}

/**
 * Token and Signal events of one Signal: the token as a span of `tokenMs` from the start (a point
 * "token (cached)" when 0), the request as a span `[done − ms, done]`, or a point after the token
 * when no response came.
 */
export function apiEvents(s: TimelineSignalInput, plan: ClockPlan, order: number): DraftEvent[] {
  const start = signalStartMono(s, plan);
  const done = signalDoneMono(s, plan);
  const out: DraftEvent[] = [];
  const source = { signalId: s.id, runId: s.runId, ...(s.callRef ? { callRef: s.callRef } : {}) };
  if (s.tokenMs !== null) {
    out.push({
      id: `token:${s.id}`,
      lane: 'api',
      kind: 'token',
      mono: start,
      durMs: s.tokenMs,
      label: s.tokenMs > 0 ? `token ${fmt(s.tokenMs)}` : 'token (cached)',
      detail: s.tokenMs > 0
        ? `bearer token obtained in ${fmt(s.tokenMs)} before the Signal (access key or OAuth grant; the secret and the token are never stored)`
        : 'a cached bearer token was used (0 ms)',
      direction: 'out',
      ok: null,
      source,
      rank: RANK.api,
      order: order * 2,
    });
  }
  const httpStart = done !== null && s.ms !== null ? done - s.ms : start + (s.tokenMs ?? 0);
  const params = Object.entries(s.params).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('&');
  out.push({
    id: `signal:${s.id}`,
    lane: 'api',
    kind: 'signal',
    mono: httpStart,
    durMs: done !== null && s.ms !== null ? s.ms : 0,
    label: `Signal ${s.status ?? 'failed'} → ${s.contactId}${s.ms !== null ? ` (${fmt(s.ms)})` : ''}`,
    detail: `Signal contact ${s.contactId}${params ? ` with ${params}` : ''}: ${s.message}\n` +
      `token ${fmt(s.tokenMs)}, HTTP ${fmt(s.ms)}\n\n${exchangeDetail(s.exchange)}`,
    direction: 'out',
    ok: s.ok,
    source,
    rank: RANK.api,
    order: order * 2 + 1,
  });
  return out;
}
