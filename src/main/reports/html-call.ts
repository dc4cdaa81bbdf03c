/**
 * The HTML section of one call in the report: facts, contact-id verdict, checks, latency, ladder,
 * Signals, media statistics, INVITE headers and every SIP message.
 */
import { formatRuleSource } from '../../shared/profile';
import { LATENCY_MARK_NAMES, type CallDetail, type MediaReport, type RtpStreamStats, type SignalRecord } from '../../shared/types';
import { escapeXml as e } from './escape';
import { ladderSvg } from './ladder-svg';
import { callPassed } from './report-document';


const iso = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC'));
const badge = (ok: boolean | null, yes = 'PASS', no = 'FAIL'): string =>
  ok === null ? '<span class="badge none">—</span>' : `<span class="badge ${ok ? 'pass' : 'fail'}">${ok ? yes : no}</span>`;
const mark = (ok: boolean): string => `<span class="${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'}</span>`;
const num = (n: number | null | undefined, unit = ''): string => (n === null || n === undefined ? '—' : `${n}${unit}`);

function rows(pairs: [string, string][]): string {
  return `<table class="facts">${pairs.map(([k, v]) => `<tr><th>${e(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

/** Lane titles of the ladder, by who this app was in the call. */
function ladderLabels(c: CallDetail, runKind: string | null): { local: string; remote: string; localOnLeft: boolean } {
  if (runKind === 'import') return { local: 'callee (received the INVITE)', remote: 'caller', localOnLeft: false };
  return c.role === 'uas'
    ? { local: 'bot (this app)', remote: 'CXone / caller', localOnLeft: false }
    : { local: 'CXone (this app)', remote: 'bot / callee', localOnLeft: true };
}

function verdictHtml(c: CallDetail): string {
  const v = c.verdict;
  if (!v) return '<p class="muted">No contact-id verdict (this side sent the INVITE, or none was seen).</p>';
  const parts = [
    `<p>${badge(v.ok, 'OK', 'FAILED')} <code>${e(v.header ?? '(no header)')}</code> = <code>${e(v.value ?? '(none)')}</code>` +
      ` <span class="muted">profile ${e(v.profile)}; looks for ${v.expectedHeaders.map((h) => `<code>${e(h)}</code>`).join(', ')}; pattern ${v.patternOk === null ? '—' : v.patternOk ? 'matched' : 'not matched'}</span></p>`,
  ];
  if (v.problems.length > 0) parts.push(`<ul class="problems">${v.problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul>`);
  if (v.warnings?.length) parts.push(`<ul class="warnings">${v.warnings.map((w) => `<li>warning: ${e(w)}</li>`).join('')}</ul>`);
  if (v.nearMisses.length > 0) {
    parts.push(
      '<table class="grid"><thead><tr><th>near miss</th><th>header</th><th>value</th><th>detail</th></tr></thead><tbody>' +
        v.nearMisses.map((n) => `<tr><td>${e(n.kind)}</td><td><code>${e(n.header)}</code></td><td><code>${e(n.value)}</code></td><td>${e(n.detail)}</td></tr>`).join('') +
        '</tbody></table>',
    );
  }
  return parts.join('');
}

/** The rule's source after a check's detail (issue 14), unless the detail already names it. */
function sourceNote(k: CallDetail['checks'][number]): string {
  if (!k.source) return '';
  const s = formatRuleSource(k.source);
  return k.detail.includes(s) ? '' : ` <span class="muted">[${e(s)}]</span>`;
}

function checksHtml(c: CallDetail): string {
  if (c.checks.length === 0) return '<p class="muted">No check recorded.</p>';
  return (
    '<table class="grid"><thead><tr><th></th><th>check</th><th>detail</th></tr></thead><tbody>' +
    c.checks.map((k) => `<tr class="${k.ok ? (k.warn ? 'warnrow' : '') : 'failrow'}"><td>${k.ok && k.warn ? '!' : mark(k.ok)}</td><td>${e(k.name)}</td><td>${e(k.detail)}${sourceNote(k)}</td></tr>`).join('') +
    '</tbody></table>'
  );
}

function latencyHtml(c: CallDetail): string {
  return (
    '<table class="grid latency"><thead><tr>' +
    LATENCY_MARK_NAMES.map((n) => `<th>${e(n)}</th>`).join('') +
    '</tr></thead><tbody><tr>' +
    LATENCY_MARK_NAMES.map((n) => `<td>${num(c.latency[n], ' ms')}</td>`).join('') +
    '</tr></tbody></table>'
  );
}

function exchangeHtml(s: SignalRecord): string {
  const x = s.exchange;
  const head = (h: Record<string, string>): string => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');
  let t = `${x.request.method} ${x.request.url}\n${head(x.request.headers)}`;
  if (x.request.body) t += `\n\n${x.request.body}`;
  if (x.response) t += `\n\n→ ${x.response.status}\n${head(x.response.headers)}${x.response.body ? `\n\n${x.response.body}` : ''}`;
  if (x.error) t += `\n\n→ ${x.error}`;
  return `<details><summary>HTTP exchange</summary><pre>${e(t)}</pre></details>`;
}

function signalsHtml(c: CallDetail): string {
  if (c.signals.length === 0) return '<p class="muted">No Signal was sent for this call.</p>';
  const params = (s: SignalRecord): string => Object.entries(s.params).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)';
  return c.signals
    .map(
      (s) =>
        `<div class="signal">${rows([
          ['outcome', `${badge(s.ok, 'accepted', 'failed')} ${e(s.message)}`],
          ['ContactId', `<code>${e(s.contactId)}</code>`],
          ['parameters', `<code>${e(params(s))}</code>`],
          ['URL', `<code>${e(s.url)}</code>`],
          ['HTTP status', num(s.status)],
          ['request', num(s.ms === null ? null : Math.round(s.ms * 10) / 10, ' ms')],
          ['token', num(s.tokenMs === null ? null : Math.round(s.tokenMs * 10) / 10, ' ms')],
          ['sent', e(iso(s.wallMs))],
        ])}${exchangeHtml(s)}</div>`,
    )
    .join('');
}

function streamCells(s: RtpStreamStats): string[] {
  return [
    num(s.packets), num(s.payloadBytes, ' B'), s.ssrc === null ? '—' : `0x${s.ssrc.toString(16)}`,
    s.direction === 'in' ? `${s.lost} / ${s.expected} (${s.lossPercent}%)` : '—',
    s.direction === 'in' ? `${s.jitterMs} ms (max ${s.maxJitterMs} ms)` : '—',
    s.direction === 'in' ? `${s.outOfOrder} / ${s.duplicates}` : '—',
  ];
}

function mediaHtml(m: MediaReport | null | undefined): string {
  if (!m) return '<p class="muted">No media was handled for this call.</p>';
  const head = ['direction', 'packets', 'payload', 'SSRC', 'lost / expected', 'jitter', 'out of order / duplicates'];
  const table =
    `<table class="grid"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>` +
    [['sent', m.sent] as const, ['received', m.received] as const]
      .map(([name, s]) => `<tr><td>${name}</td>${streamCells(s).map((x) => `<td>${e(x)}</td>`).join('')}</tr>`)
      .join('') +
    '</tbody></table>';
  const facts = rows([
    ['codec', e(m.codec ?? '—')],
    ['RTP', `<code>${e(m.localRtp)}</code> ⇄ <code>${e(m.remoteRtp ?? '—')}</code>`],
    ['audio', `${badge(m.oneWayAudio.verdict === 'both', 'both ways', m.oneWayAudio.verdict)} ${e(m.oneWayAudio.detail)}`],
    ['DTMF', e(m.dtmf.map((d) => `${d.direction === 'in' ? '←' : '→'}${d.digit} (${d.durationMs} ms)`).join(' ') || 'none')],
    ['RTCP reports', `${m.rtcp.length}`],
    ['recording', e(m.recordingPath ?? 'not recorded')],
  ]);
  return facts + table;
}

function headersHtml(c: CallDetail): string {
  if (!c.invite) return '<p class="muted">No INVITE recorded.</p>';
  return (
    '<table class="grid headers"><thead><tr><th>header</th><th>value</th></tr></thead><tbody>' +
    c.invite.headers.map((h) => `<tr class="${/^x-/i.test(h.name) ? 'xh' : ''}"><td><code>${e(h.name)}</code></td><td><code>${e(h.value)}</code></td></tr>`).join('') +
    '</tbody></table>'
  );
}

function messagesHtml(c: CallDetail): string {
  const t0 = c.messages[0]?.monoMs ?? 0;
  return c.messages
    .map((m) => {
      const arrow = m.direction === 'in' ? `${m.remote} → ${m.local}` : `${m.local} → ${m.remote}`;
      return `<details class="msg"><summary><span class="muted">+${(m.monoMs - t0).toFixed(1)} ms ${m.direction === 'in' ? 'IN ' : 'OUT'} ${e(m.transport.toUpperCase())} ${e(arrow)}</span> <b>${e(m.firstLine)}</b></summary><pre>${e(m.raw)}</pre></details>`;
    })
    .join('');
}

/** The `<section>` of one call; `index` numbers it from 1 for its anchor (`#call-1`). */
export function callSectionHtml(c: CallDetail, index: number, runKind: string | null): string {
  const facts = rows([
    ['Call-ID', `<code>${e(c.callId)}</code>`],
    ['role', c.role === 'uas' ? 'answered (bot side)' : 'placed (CXone side)'],
    ['transport / profile', `${e(c.transport.toUpperCase())} / ${e(c.profile)}`],
    ['state', `${e(c.state)}${c.end ? ` — ended by ${e(c.end.by)}: ${e(c.end.reason)}` : ''}`],
    ['From', `<code>${e(c.from)}</code>`],
    ['To', `<code>${e(c.to)}</code>`],
    ['Request-URI', `<code>${e(c.requestUri)}</code>`],
    ['started / ended', `${e(iso(c.startedWallMs))} / ${e(iso(c.endedWallMs))}`],
  ]);
  return [
    `<section class="call" id="call-${index}">`,
    `<h2>${index}. Call <code>${e(c.callId)}</code> ${badge(callPassed(c))}</h2>`,
    facts,
    '<h3>Contact id</h3>', verdictHtml(c),
    '<h3>Checks</h3>', checksHtml(c),
    '<h3>Latency</h3>', latencyHtml(c),
    '<h3>Ladder</h3>', `<div class="ladder-box">${ladderSvg(c.messages, ladderLabels(c, runKind))}</div>`,
    '<h3>Signals</h3>', signalsHtml(c),
    '<h3>Media</h3>', mediaHtml(c.media),
    '<h3>INVITE headers</h3>', headersHtml(c),
    `<h3>SIP messages (${c.messages.length})</h3>`, messagesHtml(c),
    '</section>',
  ].join('\n');
}
