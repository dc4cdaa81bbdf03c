/**
 * The timeline of a contact id as text, for `lab history --contact` (a terminal, a ticket): the
 * sources, each event on its lane with its time from the origin, the latency spans, the agent's
 * side and the findings.
 */
import { TIMELINE_LANE_TITLES, type ContactTimeline } from '../../shared/timeline';

function ms(x: number): string {
  return `${x.toFixed(1)} ms`;
}

/** One line per event: `+  357.9 ms  CXone API   Signal 202 → 123 (8.4 ms)`; then spans, agent and notes. */
export function formatTimelineText(t: ContactTimeline): string {
  if (t.events.length === 0) return `contact ${t.contactId}: nothing in history carried this contact id`;
  const lines = [`contact ${t.contactId}: ${t.events.length} event(s) over ${ms(t.durationMs)} from ${new Date(t.originWallMs).toISOString()}`, 'sources:'];
  for (const s of t.sources) lines.push(`  ${s.kind.padEnd(6)} ${s.id} ${s.runKind ? `(${s.runKind} run) ` : ''}${s.label}`);
  lines.push('timeline:');
  const w = Math.max(...t.lanes.map((l) => TIMELINE_LANE_TITLES[l].length));
  for (const e of t.events) {
    const dur = e.durMs > 0 ? ` [${ms(e.durMs)}]` : '';
    const mark = e.ok === false ? ' ✗' : '';
    lines.push(`  +${e.atMs.toFixed(1).padStart(9)} ms  ${TIMELINE_LANE_TITLES[e.lane].padEnd(w)}  ${e.label}${dur}${mark}`);
  }
  if (t.spans.length) {
    lines.push('latency marks:');
    for (const s of t.spans) lines.push(`  ${s.name.padEnd(22)} ${ms(s.ms).padStart(10)}  (${TIMELINE_LANE_TITLES[s.lane]}, +${s.fromMs.toFixed(1)} → +${s.toMs.toFixed(1)})`);
  }
  const a = t.agent;
  if (a) {
    lines.push(`agent: ${a.summary}`);
    if (a.variables.length) lines.push(`  ONSIGNAL variables: ${a.variables.map((v) => `${v.name}=${v.value}`).join('  ')}`);
    if (a.screenPop?.kind === 'url') lines.push(`  screen pop (PopURL): ${a.screenPop.url}`);
    else if (a.screenPop?.rows.length) lines.push(`  screen pop: ${a.screenPop.rows.map((r) => `${r.name}: ${r.value}`).join(', ')}`);
  }
  for (const n of t.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
