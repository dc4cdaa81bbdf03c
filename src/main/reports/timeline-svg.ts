/**
 * The contact timeline as a self-contained SVG (issue 15 item 1) for the HTML report: no script,
 * no external reference; every event carries a `<title>` (its message, request or packet detail)
 * that browsers show on hover, and is focusable (`tabindex`) so the keyboard reaches it too.
 * Laid out by `src/shared/timeline-layout.ts`, the same layout the dashboard draws.
 *
 * Also the report's timeline section: the SVG, the agent's side (ONSIGNAL variables, screen pop,
 * outcome) and the findings.
 */
import type { ContactTimeline, TimelineEvent } from '../../shared/timeline';
import type { CallDetail } from '../../shared/types';
import { timelinesOfCalls } from '../timeline/from-calls';
import { eventColor, layoutTimeline, type PlacedEvent } from '../../shared/timeline-layout';
import { escapeXml as e } from './escape';

function n(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

function tooltip(ev: TimelineEvent): string {
  const when = `+${ev.atMs.toFixed(3)} ms${ev.durMs > 0 ? `, ${ev.durMs.toFixed(1)} ms long` : ''}`;
  return `${ev.label} (${when})\n${ev.detail}`;
}

function eventSvg(p: PlacedEvent): string {
  const ev = p.event;
  const c = eventColor(ev);
  const parts: string[] = [];
  const top = p.trackY;
  if (p.w > 0) {
    const faint = ev.kind === 'rtp';
    const h = faint ? 16 : ev.kind === 'voice' ? 10 : 12;
    const yy = faint ? top : top + (16 - h) / 2;
    parts.push(`<rect x="${n(p.x)}" y="${n(yy)}" width="${n(p.w)}" height="${h}" rx="2" fill="${c}" fill-opacity="${faint ? 0.45 : 0.9}"/>`);
    if (p.labelInside) parts.push(`<text x="${n(p.labelX)}" y="${n(top + 12)}" class="in">${e(ev.label)}</text>`);
  } else {
    parts.push(`<line x1="${n(p.x)}" x2="${n(p.x)}" y1="${n(top - 2)}" y2="${n(p.labelY !== null ? p.labelY - 9 : top + 18)}" stroke="${c}" stroke-width="1.5"/>`);
    const tri = ev.direction === 'in'
      ? `${n(p.x + 5)},${n(top + 3)} ${n(p.x - 1)},${n(top + 8)} ${n(p.x + 5)},${n(top + 13)}`
      : ev.direction === 'out'
        ? `${n(p.x - 5)},${n(top + 3)} ${n(p.x + 1)},${n(top + 8)} ${n(p.x - 5)},${n(top + 13)}`
        : `${n(p.x)},${n(top + 2)} ${n(p.x + 5)},${n(top + 8)} ${n(p.x)},${n(top + 14)} ${n(p.x - 5)},${n(top + 8)}`;
    parts.push(`<polygon points="${tri}" fill="${c}"/>`);
  }
  if (p.labelY !== null) parts.push(`<text x="${n(p.labelX)}" y="${n(p.labelY)}"${p.labelAnchor === 'end' ? ' text-anchor="end"' : ''} fill="${ev.ok === false ? '#dc2626' : 'currentColor'}">${e(ev.label)}</text>`);
  return `<g tabindex="0" class="ev"><title>${e(tooltip(ev))}</title>${parts.join('')}</g>`;
}

/**
 * The timeline as one `<svg>` element.
 * @param opts.width - px (default 1100).
 * @returns SVG markup (no XML declaration), or a short `<p>` when the timeline has no event.
 */
export function timelineSvg(t: ContactTimeline, opts: { width?: number } = {}): string {
  if (t.events.length === 0) return `<p class="muted">Nothing in history carried contact ${e(t.contactId)}.</p>`;
  const L = layoutTimeline(t, { width: opts.width ?? 1100 });
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="${L.width}" height="${n(L.height)}" viewBox="0 0 ${L.width} ${n(L.height)}" ` +
      `aria-label="${e(`Timeline of contact ${t.contactId}: ${t.events.length} events over ${Math.round(t.durationMs)} ms`)}" ` +
      'style="color:var(--fg,#111827);font:11px system-ui,-apple-system,Segoe UI,Roboto,sans-serif">',
    '<style>text{fill:currentColor}text.in{fill:#fff;font-weight:600}text.lane{font-weight:700;font-size:12px}text.tick,text.mark{font-size:10.5px}.ev:focus{outline:none}.ev:focus>*{stroke:#f59e0b;stroke-width:2}</style>',
    `<title>${e(`Timeline of contact ${t.contactId}`)}</title>`,
  );
  for (const tk of L.ticks) {
    out.push(`<line x1="${n(tk.x)}" x2="${n(tk.x)}" y1="18" y2="${n(L.height - 4)}" stroke="currentColor" stroke-opacity="0.12"/>`);
    out.push(`<text class="tick" x="${n(tk.x)}" y="13" text-anchor="middle">${e(tk.text)}</text>`);
  }
  L.lanes.forEach((l, i) => {
    if (i % 2 === 0) out.push(`<rect x="0" y="${n(l.y)}" width="${L.width}" height="${n(l.height)}" fill="currentColor" fill-opacity="0.04"/>`);
    out.push(`<text class="lane" x="8" y="${n(l.y + 19)}">${e(l.title)}</text>`);
    out.push(`<line x1="0" x2="${L.width}" y1="${n(l.y + l.height)}" y2="${n(l.y + l.height)}" stroke="currentColor" stroke-opacity="0.2"/>`);
  });
  // Bands first, points on top, so a marker is never hidden by a band.
  for (const p of L.events.filter((x) => x.w > 0)) out.push(eventSvg(p));
  for (const p of L.events.filter((x) => x.w === 0)) out.push(eventSvg(p));
  if (L.marksY !== null) {
    out.push(`<text class="lane" x="8" y="${n(L.marksY + 12)}">Latency marks</text>`);
    for (const s of L.spans) {
      const tip = `${s.span.name}: ${s.span.ms} ms (+${s.span.fromMs.toFixed(1)} → +${s.span.toMs.toFixed(1)} ms)`;
      out.push(
        `<g tabindex="0" class="ev"><title>${e(tip)}</title>` +
          `<line x1="${n(s.x1)}" x2="${n(s.x2)}" y1="${n(s.y)}" y2="${n(s.y)}" stroke="#0ea5e9" stroke-width="2"/>` +
          `<line x1="${n(s.x1)}" x2="${n(s.x1)}" y1="${n(s.y - 4)}" y2="${n(s.y + 4)}" stroke="#0ea5e9" stroke-width="1.5"/>` +
          `<line x1="${n(s.x2)}" x2="${n(s.x2)}" y1="${n(s.y - 4)}" y2="${n(s.y + 4)}" stroke="#0ea5e9" stroke-width="1.5"/>` +
          `<text class="mark" x="${n(s.labelX)}" y="${n(s.y - 3)}"${s.labelAnchor === 'end' ? ' text-anchor="end"' : ''}>${e(s.label)}</text></g>`,
      );
    }
  }
  out.push('</svg>');
  return out.join('');
}

/** The agent's side as an HTML table: outcome, ONSIGNAL variables, screen pop. */
export function agentHtml(t: ContactTimeline): string {
  const a = t.agent;
  if (!a) return '';
  const rows = [`<tr><th>outcome</th><td><b>${e(a.outcome)}</b>: ${e(a.summary)}</td></tr>`];
  if (a.onSignal) rows.push(`<tr><th>ONSIGNAL</th><td>contact <code>${e(a.onSignal.contactId)}</code> at +${a.onSignal.atMs.toFixed(1)} ms</td></tr>`);
  rows.push(`<tr><th>Studio variables</th><td>${a.variables.length ? a.variables.map((v) => `<code>${e(v.name)}</code> = <code>${e(v.value)}</code>`).join('<br>') : '—'}</td></tr>`);
  if (a.skill) rows.push(`<tr><th>REQAGENT skill</th><td>${e(a.skill)}</td></tr>`);
  if (a.screenPop?.kind === 'url') rows.push(`<tr><th>agent's screen pop</th><td><code>${e(a.screenPop.url)}</code><br><span class="muted">${e(a.screenPop.note)}</span></td></tr>`);
  else if (a.screenPop) rows.push(`<tr><th>agent's screen pop</th><td>${a.screenPop.rows.map((r) => `${e(r.name)}: ${e(r.value)}`).join('<br>') || '—'}<br><span class="muted">${e(a.screenPop.note)}</span></td></tr>`);
  return `<h3>Agent's side</h3><table class="facts">${rows.join('')}</table>`;
}

/** The report section of one contact's timeline: heading, SVG, findings and the agent's side. */
export function timelineSectionHtml(t: ContactTimeline): string {
  const notes = t.notes.length ? `<ul class="problems">${t.notes.map((x) => `<li>${e(x)}</li>`).join('')}</ul>` : '';
  return (
    `<section class="contact-timeline"><h2>Timeline of contact ${e(t.contactId)}</h2>` +
    `<p class="muted">${t.events.length} events over ${t.durationMs.toFixed(1)} ms on one monotonic clock, from ${e(new Date(t.originWallMs).toISOString())}. ` +
    'Hover an event (or Tab to it) for the message, request or packet detail.</p>' +
    `<div class="ladder-box">${timelineSvg(t)}</div>${notes}${agentHtml(t)}</section>`
  );
}

/**
 * The timelines of a report's calls, one section per contact id they carried (timeline/from-calls.ts).
 * @returns '' when no call carried a contact id.
 */
export function timelinesHtml(calls: readonly CallDetail[], runKind: string | null): string {
  const { timelines, omitted } = timelinesOfCalls(calls, runKind);
  const more = omitted ? `<p class="muted">${omitted} more contact id(s) not drawn: report them with <code>lab report --contact &lt;id&gt;</code>.</p>` : '';
  return timelines.map((t) => timelineSectionHtml(t)).join('\n') + more;
}
