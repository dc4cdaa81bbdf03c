/**
 * Where each piece of a contact timeline goes on a drawing (issue 15): one pure layout shared by
 * the HTML report's SVG (`src/main/reports/timeline-svg.ts`) and the dashboard's zoomable view
 * (`src/renderer/src/components/timeline-view.tsx`), so both draw the same picture.
 *
 * Coordinates are SVG user units (px at 100 %). Time runs left to right, linearly, over the visible
 * window `[fromMs, toMs]`; lanes are stacked top to bottom in {@link TIMELINE_LANES} order. Labels
 * of point events are spread over up to {@link MAX_LABEL_ROWS} rows so that they do not overlap;
 * a label that finds no room is left out of the drawing (its tooltip still has it).
 */
import { TIMELINE_LANE_TITLES, type ContactTimeline, type TimelineEvent, type TimelineLaneId, type TimelineSpan } from './timeline';

/** Width of the lane titles on the left (px). */
export const GUTTER = 150;
/** Most label rows under a lane's band track. */
export const MAX_LABEL_ROWS = 4;
const ROW = 14;
const TRACK = 16;
const AXIS = 26;
const PAD = 6;

/** Estimated width (px) of a label at 11 px system-ui (assumed here: 6.4 px per character). */
export function labelWidth(text: string): number {
  return Math.ceil(text.length * 6.4) + 6;
}

/** One event placed. `labelRow` null: no room for its label (the tooltip has it). */
export interface PlacedEvent {
  event: TimelineEvent;
  x: number;
  /** Width for a span (≥ 2 px), 0 for a point. */
  w: number;
  /** Top of the band track of its lane. */
  trackY: number;
  /** Baseline of its label, or null. */
  labelY: number | null;
  /** Whether the label is written inside the band (it fits in the band's visible part; then `labelX` is inside it). */
  labelInside: boolean;
  /** Where the label is anchored, and how: `end` near the right edge, so that it is not cut off. */
  labelX: number;
  labelAnchor: 'start' | 'end';
}

/** One lane placed. */
export interface PlacedLane {
  id: TimelineLaneId;
  title: string;
  y: number;
  height: number;
}

/** One latency mark placed, in the marks area under the lanes. */
export interface PlacedSpan {
  span: TimelineSpan;
  x1: number;
  x2: number;
  y: number;
  label: string;
  /** Label position: at the start, or ending at the right edge when it would be cut off. */
  labelX: number;
  labelAnchor: 'start' | 'end';
}

/** The whole drawing. */
export interface TimelineLayout {
  width: number;
  height: number;
  fromMs: number;
  toMs: number;
  /** px per ms. */
  scale: number;
  lanes: PlacedLane[];
  events: PlacedEvent[];
  spans: PlacedSpan[];
  /** Axis ticks: x and text. */
  ticks: Array<{ x: number; text: string }>;
  /** Top of the marks area (its title goes here), or null when there is no mark. */
  marksY: number | null;
}

/** A readable time: `+850 ms`, `+1.25 s`, `+2 min 5 s`. */
export function formatOffset(ms: number): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '−' : '+';
  if (a < 1000) return `${sign}${a < 10 && a % 1 !== 0 ? a.toFixed(1) : Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
  return `${sign}${Math.floor(a / 60_000)} min ${Math.round((a % 60_000) / 1000)} s`;
}

function niceStep(range: number, target: number): number {
  const raw = range / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/**
 * Lays a timeline out.
 * @param opts.width - total width (px), gutter included; at least 400.
 * @param opts.fromMs / opts.toMs - the visible window (ms from the origin); default the whole timeline.
 */
export function layoutTimeline(t: ContactTimeline, opts: { width: number; fromMs?: number; toMs?: number }): TimelineLayout {
  const width = Math.max(400, opts.width);
  const fromMs = opts.fromMs ?? 0;
  const toMs = Math.max(fromMs + 1, opts.toMs ?? Math.max(1, t.durationMs * 1.02));
  const plotW = width - GUTTER - 16;
  const scale = plotW / (toMs - fromMs);
  const xOf = (ms: number): number => GUTTER + (ms - fromMs) * scale;
  const visible = (x1: number, x2: number): boolean => x2 >= GUTTER - 1 && x1 <= width;

  const lanes: PlacedLane[] = [];
  const events: PlacedEvent[] = [];
  let y = AXIS;
  for (const id of t.lanes) {
    const trackY = y + PAD;
    const rowsEnd: number[] = [];
    const placed: PlacedEvent[] = [];
    for (const ev of t.events.filter((e) => e.lane === id)) {
      const x = xOf(ev.atMs);
      const w = ev.durMs > 0 ? Math.max(2, ev.durMs * scale) : 0;
      if (!visible(x, x + w)) continue;
      const lw = labelWidth(ev.label);
      // The part of a band inside the window (zoomed in, a band may start before it or end after it).
      const visibleW = w > 0 ? Math.min(x + w, width) - Math.max(x, GUTTER) : 0;
      const inside = visibleW > lw + 4 && ev.kind !== 'rtp';
      let labelY: number | null = null;
      let labelX = inside ? Math.max(x, GUTTER) + 3 : Math.max(GUTTER, x - 3);
      let labelAnchor: PlacedEvent['labelAnchor'] = 'start';
      if (!inside && labelX + lw > width - 4) {
        labelAnchor = 'end';
        labelX = Math.min(width - 4, Math.max(GUTTER + lw, x + 3));
      }
      const fits = lw <= width - 4 - GUTTER;
      if (!inside && ev.kind !== 'rtp' && fits) {
        const lx = labelAnchor === 'end' ? labelX - lw : labelX;
        const row = [...Array(MAX_LABEL_ROWS).keys()].find((r) => (rowsEnd[r] ?? -Infinity) <= lx);
        if (row !== undefined) {
          rowsEnd[row] = lx + lw;
          labelY = trackY + TRACK + ROW * (row + 1);
        }
      }
      placed.push({ event: ev, x, w, trackY, labelY, labelInside: inside, labelX, labelAnchor });
    }
    const rows = Math.max(1, rowsEnd.length);
    const height = PAD + TRACK + rows * ROW + PAD + 2;
    lanes.push({ id, title: TIMELINE_LANE_TITLES[id], y, height });
    events.push(...placed);
    y += height;
  }

  const spans: PlacedSpan[] = [];
  let marksY: number | null = null;
  const spanList = t.spans.filter((s) => visible(xOf(s.fromMs), xOf(s.toMs)));
  if (spanList.length) {
    marksY = y + 4;
    const rowEnds: number[] = [];
    for (const s of spanList) {
      const x1 = xOf(s.fromMs);
      const x2 = Math.max(x1 + 1, xOf(s.toMs));
      const side = s.lane === 'caller' ? ' · CXone side' : s.lane === 'bot' ? ' · bot side' : '';
      const label = `${s.name} ${s.ms} ms${side}`;
      const lw = labelWidth(label);
      const right = Math.max(x1, GUTTER) + lw > width - 4;
      const start = right ? Math.max(GUTTER, Math.min(x1, width - 4 - lw)) : Math.max(x1, GUTTER);
      const end = Math.max(x2, start + lw);
      let row = rowEnds.findIndex((r) => r + 4 <= start);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = end;
      spans.push({ span: s, x1, x2, y: marksY + 16 + row * 16, label, labelX: right ? width - 4 : start, labelAnchor: right ? 'end' : 'start' });
    }
    y = marksY + 16 + rowEnds.length * 16 + 8;
  }

  const step = niceStep(toMs - fromMs, Math.max(2, Math.floor(plotW / 110)));
  const ticks: TimelineLayout['ticks'] = [];
  for (let v = Math.ceil(fromMs / step) * step; v <= toMs; v += step) ticks.push({ x: xOf(v), text: formatOffset(v) });
  return { width, height: y + 4, fromMs, toMs, scale, lanes, events, spans, ticks, marksY };
}

/** Fill colour of an event (light and dark pages both: mid-tone colours). */
export function eventColor(ev: TimelineEvent): string {
  if (ev.ok === false) return '#dc2626';
  switch (ev.kind) {
    case 'sip':
      return /^\d/.test(ev.label) ? '#059669' : '#2563eb';
    case 'script':
      return '#7c3aed';
    case 'token':
      return '#d97706';
    case 'signal':
      return '#ea580c';
    case 'rtp':
      return ev.lane === 'caller' ? '#93c5fd' : '#86efac';
    case 'voice':
      return ev.lane === 'caller' ? '#1d4ed8' : '#15803d';
    case 'dtmf':
      return '#db2777';
    case 'step':
      return ev.ok === true ? '#0d9488' : '#0891b2';
    default:
      return '#6b7280';
  }
}
