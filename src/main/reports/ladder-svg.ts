/**
 * The ladder diagram of one call as an inline SVG: two lanes (this side and the far side), one
 * arrow per SIP message in stamp order (shared/sip-order.ts), its start line, and its time from the
 * first message.
 * Plain SVG (no script, no external font or image), so the HTML report stays self-contained.
 */
import { inStampOrder } from '../../shared/sip-order';
import type { SipMessageRecord } from '../../shared/types';
import { escapeXml } from './escape';

/** Lane titles (addresses are added below them), and which side is drawn on the left (the caller's, usually). */
export interface LadderLabels {
  local: string;
  remote: string;
  localOnLeft: boolean;
}

const WIDTH = 820;
const LEFT = 260;
const RIGHT = 700;
const TOP = 64;
const ROW = 34;

/** The most frequent value of a list (first on a tie), or '' for none. */
function mostCommon(values: readonly string[]): string {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  let best = '';
  let count = 0;
  for (const [v, c] of n) if (c > count) [best, count] = [v, c];
  return best;
}

/** Short label of a message: `INVITE (SDP)`, `180 Ringing`, `200 OK (SDP)`. */
export function arrowLabel(m: SipMessageRecord): string {
  const sdp = /\r\nContent-Type:\s*application\/sdp/i.test(m.raw) || /\r\nc:\s*application\/sdp/i.test(m.raw);
  const base = m.status === undefined ? m.method || m.firstLine.split(' ')[0] || '?' : m.firstLine.replace(/^SIP\/2\.0\s+/, '');
  const label = base.length > 34 ? `${base.slice(0, 33)}…` : base;
  return sdp ? `${label} (SDP)` : label;
}

function colourClass(m: SipMessageRecord): string {
  if (m.status === undefined) return 'req';
  if (m.status < 200) return 'prov';
  if (m.status < 300) return 'ok';
  return 'err';
}

/**
 * Renders the ladder.
 * @param recorded - the call's messages as recorded (history returns them by `seq`); drawn by their
 *   monotonic stamp, `seq` breaking a tie.
 * @returns an `<svg>` element as text, with its own styles; a short note when there are no messages.
 */
export function ladderSvg(recorded: readonly SipMessageRecord[], labels: LadderLabels): string {
  const messages = inStampOrder(recorded);
  if (messages.length === 0) return '<p class="muted">No SIP message was recorded for this call.</p>';
  const t0 = messages[0]!.monoMs;
  const height = TOP + messages.length * ROW + 24;
  const localAddr = mostCommon(messages.map((m) => m.local));
  const remoteAddr = mostCommon(messages.map((m) => m.remote));
  const [lx, rx] = labels.localOnLeft ? [RIGHT, LEFT] : [LEFT, RIGHT];
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="ladder" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="SIP ladder diagram">`,
    '<style>.ladder text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:currentColor}.ladder .lane{stroke:#8a94a6;stroke-width:1.5}' +
      '.ladder .title{font-weight:600;font-size:13px}.ladder .addr{fill:#6b7280;font-size:11px}.ladder .time{fill:#6b7280;font-size:11px}' +
      '.ladder .req{stroke:#2563eb;fill:#2563eb}.ladder .prov{stroke:#6b7280;fill:#6b7280}.ladder .ok{stroke:#15803d;fill:#15803d}.ladder .err{stroke:#dc2626;fill:#dc2626}' +
      '.ladder line.arrow{stroke-width:1.6}.ladder text.lbl{font-weight:600;stroke:none}' +
      '@media (prefers-color-scheme:dark){.ladder .req{stroke:#60a5fa;fill:#60a5fa}.ladder .prov{stroke:#9ca3af;fill:#9ca3af}' +
      '.ladder .ok{stroke:#4ade80;fill:#4ade80}.ladder .err{stroke:#f87171;fill:#f87171}.ladder .addr,.ladder .time{fill:#9ca3af}}</style>',
    `<text x="${lx}" y="18" text-anchor="middle" class="title">${escapeXml(labels.remote)}</text>`,
    `<text x="${lx}" y="34" text-anchor="middle" class="addr">${escapeXml(remoteAddr)}</text>`,
    `<text x="${rx}" y="18" text-anchor="middle" class="title">${escapeXml(labels.local)}</text>`,
    `<text x="${rx}" y="34" text-anchor="middle" class="addr">${escapeXml(localAddr)}</text>`,
    `<line class="lane" x1="${LEFT}" y1="44" x2="${LEFT}" y2="${height - 8}"/>`,
    `<line class="lane" x1="${RIGHT}" y1="44" x2="${RIGHT}" y2="${height - 8}"/>`,
  );
  messages.forEach((m, i) => {
    const y = TOP + i * ROW + 12;
    // lx is the far side's lane, rx this side's: a message in goes lx → rx.
    const [x1, x2] = m.direction === 'in' ? [lx, rx] : [rx, lx];
    const toRight = x2 > x1;
    const head = toRight ? `${x2 - 9},${y - 5} ${x2},${y} ${x2 - 9},${y + 5}` : `${x2 + 9},${y - 5} ${x2},${y} ${x2 + 9},${y + 5}`;
    const cls = colourClass(m);
    const ms = (m.monoMs - t0).toFixed(1);
    const addrNote = (m.local !== localAddr || m.remote !== remoteAddr) ? ` ${m.direction === 'in' ? m.remote : m.local} → ${m.direction === 'in' ? m.local : m.remote}` : '';
    out.push(
      `<g><title>${escapeXml(`${m.firstLine}\n+${ms} ms, ${new Date(m.wallMs).toISOString()}, ${m.transport.toUpperCase()} ${m.direction === 'in' ? `${m.remote} → ${m.local}` : `${m.local} → ${m.remote}`}`)}</title>`,
      `<text x="8" y="${y + 4}" class="time">+${ms} ms</text>`,
      `<line class="arrow ${cls}" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/>`,
      `<polygon class="${cls}" points="${head}"/>`,
      `<text x="${(LEFT + RIGHT) / 2}" y="${y - 5}" text-anchor="middle" class="lbl ${cls}">${escapeXml(arrowLabel(m))}</text>`,
      addrNote ? `<text x="${(LEFT + RIGHT) / 2}" y="${y + 13}" text-anchor="middle" class="addr">${escapeXml(addrNote.trim())}</text>` : '',
      '</g>',
    );
  });
  out.push('</svg>');
  return out.join('');
}
