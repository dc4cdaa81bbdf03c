/**
 * The HTML report of a test run (issue 13 item 2): one self-contained page (no script, no external
 * resource) with, per case, its steps and verdicts, its case-level expectations, the SIP ladder of
 * its call (ladder-svg.ts), both directions' audio as SVG waveforms with the steps marked on the
 * timeline from the INVITE and the far end's speech turns shaded, and `<audio>` players of both
 * recordings embedded as WAV data URIs.
 */
import type { CaseResult, TestRunResult } from '../testcases/types';
import { escapeXml as e } from './escape';
import { ladderSvg } from './ladder-svg';

const RATE = 8000;
/** Longest audio embedded as a player, per direction (ms); the waveform always shows all of it. */
export const MAX_EMBEDDED_AUDIO_MS = 180_000;

/** 8 kHz 16-bit mono samples as a RIFF/WAVE file. */
export function wavBytes(samples: Int16Array, rate = RATE): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const W = 900;
const LANE = 70;
const PAD_L = 90;

/** Min/max envelope of `samples` over `cols` columns from 0 to `totalMs`. */
function envelope(samples: Int16Array, cols: number, totalMs: number): string {
  const perCol = (totalMs * RATE) / 1000 / cols;
  let d = '';
  for (let c = 0; c < cols; c++) {
    const a = Math.floor(c * perCol);
    const b = Math.min(samples.length, Math.floor((c + 1) * perCol));
    let lo = 0;
    let hi = 0;
    for (let i = a; i < b; i++) {
      const s = samples[i]!;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    if (hi === 0 && lo === 0) continue;
    const x = PAD_L + c + 0.5;
    const y1 = LANE / 2 - (hi / 32768) * (LANE / 2 - 4);
    const y2 = LANE / 2 - (lo / 32768) * (LANE / 2 - 4);
    d += `M${x.toFixed(1)} ${y1.toFixed(1)}V${Math.max(y2, y1 + 0.5).toFixed(1)}`;
  }
  return d;
}

/** The two waveforms of a case with the steps and speech turns on one time axis (ms from the INVITE). */
export function waveformSvg(c: CaseResult): string {
  const m = c.media;
  if (!m) return '';
  const lastStep = Math.max(0, ...c.steps.map((s) => (s.at_ms ?? 0) + 0));
  const totalMs = Math.max(1000, (m.received.length / RATE) * 1000, (m.sent.length / RATE) * 1000, lastStep + 200);
  const cols = W - PAD_L - 10;
  const x = (ms: number): number => PAD_L + (ms / totalMs) * cols;
  const height = 2 * LANE + 60;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-label="audio of both directions with the steps">`];
  const lanes: [string, Int16Array, number][] = [
    [c.mode === 'answer' ? 'caller → us' : 'bot → caller', m.received, 0],
    [c.mode === 'answer' ? 'us (bot) →' : 'caller (us) →', m.sent, LANE],
  ];
  for (const [label, samples, top] of lanes) {
    parts.push(`<g transform="translate(0 ${top + 20})"><rect x="${PAD_L}" y="0" width="${cols}" height="${LANE - 6}" fill="#f6f7f9" stroke="#dde"/>`);
    if (top === 0) for (const t of c.speech) parts.push(`<rect x="${x(t.start_ms).toFixed(1)}" y="0" width="${Math.max(1, x(t.end_ms ?? totalMs) - x(t.start_ms)).toFixed(1)}" height="${LANE - 6}" fill="#fff3c4"><title>far-end speech ${t.start_ms}–${t.end_ms ?? '…'} ms</title></rect>`);
    parts.push(`<text x="4" y="${LANE / 2}" font-size="11" font-family="sans-serif">${e(label)}</text>`);
    parts.push(`<path d="${envelope(samples, cols, totalMs)}" stroke="#3465a4" stroke-width="1" fill="none"/></g>`);
  }
  for (const s of c.steps) {
    if (s.at_ms === null) continue;
    const color = s.status === 'passed' ? '#2e7d32' : '#c62828';
    const px = x(s.at_ms).toFixed(1);
    parts.push(`<line x1="${px}" y1="14" x2="${px}" y2="${2 * LANE + 18}" stroke="${color}" stroke-dasharray="3 2"><title>${e(`${s.index + 1}. ${s.label} at ${s.at_ms} ms: ${s.detail}`)}</title></line>`);
    parts.push(`<text x="${px}" y="11" font-size="10" text-anchor="middle" font-family="sans-serif" fill="${color}">${s.index + 1}</text>`);
  }
  for (const d of c.dtmf_received) parts.push(`<text x="${x(d.at_ms).toFixed(1)}" y="${LANE + 14}" font-size="11" text-anchor="middle" font-family="monospace" fill="#6a1b9a"><title>digit ${e(d.digit)} received at ${d.at_ms} ms</title>${e(d.digit)}</text>`);
  for (const d of c.dtmf_sent ?? []) parts.push(`<text x="${x(d.at_ms).toFixed(1)}" y="${2 * LANE + 10}" font-size="11" text-anchor="middle" font-family="monospace" fill="#6a1b9a"><title>digit ${e(d.digit)} sent at ${d.at_ms} ms</title>${e(d.digit)}</text>`);
  const tickEvery = totalMs > 60_000 ? 10_000 : totalMs > 20_000 ? 5000 : totalMs > 5000 ? 1000 : 500;
  for (let t = 0; t <= totalMs; t += tickEvery) {
    const px = x(t).toFixed(1);
    parts.push(`<line x1="${px}" y1="${2 * LANE + 20}" x2="${px}" y2="${2 * LANE + 26}" stroke="#888"/><text x="${px}" y="${2 * LANE + 38}" font-size="10" text-anchor="middle" font-family="sans-serif">${t >= 1000 ? `${t / 1000}s` : `${t}ms`}</text>`);
  }
  parts.push(`<text x="${PAD_L}" y="${2 * LANE + 54}" font-size="10" font-family="sans-serif" fill="#555">time from the INVITE; dashed lines: steps (green passed, red failed); shaded: far-end speech; purple: digits (received on the top lane, sent on the bottom one)</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function player(label: string, samples: Int16Array): string {
  if (samples.length === 0) return `<p>${e(label)}: no audio</p>`;
  const cut = samples.subarray(0, (MAX_EMBEDDED_AUDIO_MS * RATE) / 1000);
  const note = cut.length < samples.length ? ` (first ${MAX_EMBEDDED_AUDIO_MS / 1000} s)` : '';
  return `<p>${e(label)}${note}: <audio controls preload="none" src="data:audio/wav;base64,${wavBytes(cut).toString('base64')}"></audio></p>`;
}

function caseSection(c: CaseResult, i: number): string {
  const rows = c.steps
    .map(
      (s) =>
        `<tr class="${s.status}"><td>${s.index + 1}</td><td>${e(s.name ? `${s.name}: ${s.label}` : s.label)}</td><td>${s.status}</td><td>${s.at_ms ?? ''}</td><td>${s.duration_ms ?? ''}</td><td>${e(s.detail)}</td></tr>`,
    )
    .join('');
  const exp = c.expectations.map((k) => `<tr class="${k.ok ? 'passed' : 'failed'}"><td>${e(k.name)}</td><td>${k.ok ? 'passed' : 'failed'}</td><td>${e(k.detail)}</td></tr>`).join('');
  const lat = Object.entries(c.latency).map(([k, v]) => `${e(k)} = ${v} ms`).join(', ');
  const m = c.media;
  const ladder = m && m.messages.length ? ladderSvg(m.messages, c.mode === 'answer' ? { local: 'bot (lab)', remote: 'caller / CXone', localOnLeft: false } : { local: c.mode === 'call' ? 'caller (lab)' : 'CXone (lab)', remote: 'bot', localOnLeft: true }) : '<p>no SIP messages</p>';
  return `<section id="case-${i}"><h2 class="${c.ok ? 'passed' : 'failed'}">${c.ok ? 'PASS' : 'FAIL'} · ${e(c.name)}</h2>
<p class="meta">${e(c.file)} · ${c.mode} · profile ${e(c.profile)} · ${c.transport} · ${(c.duration_ms / 1000).toFixed(1)} s · Call-ID ${e(c.call_id ?? '—')}${c.cxone_outcome ? ` · CXone: ${e(c.cxone_outcome)}` : ''}</p>
${c.error ? `<p class="failed">set-up: ${e(c.error)}</p>` : ''}
<table><thead><tr><th>#</th><th>step</th><th>verdict</th><th>at ms</th><th>took ms</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>
${exp ? `<h3>Expectations</h3><table><thead><tr><th>expectation</th><th>verdict</th><th>detail</th></tr></thead><tbody>${exp}</tbody></table>` : ''}
<p>latency: ${lat || '—'}</p>
${m ? `<h3>Audio</h3>${waveformSvg(c)}${player(c.mode === 'answer' ? 'what the caller sent' : 'what the bot sent', m.received)}${player('what we sent', m.sent)}` : ''}
<h3>SIP ladder</h3>${ladder}</section>`;
}

/** Renders the HTML report of a test run (cases run with `keepMedia` get audio and ladders). */
export function renderTestHtml(r: TestRunResult & { not_run?: string[] }): string {
  const passed = r.cases.filter((c) => c.ok).length;
  const index = r.cases.map((c, i) => `<li class="${c.ok ? 'passed' : 'failed'}"><a href="#case-${i}">${c.ok ? 'PASS' : 'FAIL'} ${e(c.name)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CXone SIP Lab test report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data:">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
tr.failed td,h2.failed,.failed{color:#b71c1c}tr.skipped td{color:#888}h2.passed,li.passed a{color:#1b5e20}
.meta{color:#555}section{border-top:2px solid #eee;margin-top:24px}svg{max-width:100%;height:auto}
</style></head><body>
<h1>${r.ok ? 'PASS' : 'FAIL'}: ${passed}/${r.cases.length} cases passed</h1>
<p class="meta">started ${new Date(r.started_wall_ms).toISOString()} · ${(r.duration_ms / 1000).toFixed(1)} s${r.not_run?.length ? ` · not run: ${r.not_run.map(e).join(', ')}` : ''}</p>
<ul>${index}</ul>
${r.cases.map(caseSection).join('\n')}
</body></html>
`;
}
