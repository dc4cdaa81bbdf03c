/**
 * The contact timeline, zoomable and pannable (issue 15 item 1): lanes for the caller / CXone leg,
 * the CXone script, the CXone API and the bot (and a test case's steps), audio bands, DTMF, and the
 * latency marks as spans. Hovering or focusing an event (Tab, then ←/→ between events) shows its SIP
 * message, HTTP exchange or packet detail under the drawing.
 *
 * Zoom: the wheel (around the pointer), the +/− buttons or keys, 0 to fit; pan: drag, or
 * Shift+←/→. The layout is the one the HTML report draws (src/shared/timeline-layout.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ContactTimeline, TimelineEvent, TimelineSpan } from '../../../shared/timeline';
import { eventColor, formatOffset, GUTTER, layoutTimeline, type PlacedEvent } from '../../../shared/timeline-layout';
import { useWidth } from '../use-width';

/** The smallest window (ms) zooming in reaches. */
const MIN_WINDOW_MS = 2;

type Selected = { kind: 'event'; event: TimelineEvent } | { kind: 'span'; span: TimelineSpan } | null;

function clampWindow(from: number, to: number, total: number): [number, number] {
  const w = Math.max(MIN_WINDOW_MS, Math.min(to - from, total));
  let f = Math.max(0, from);
  if (f + w > total) f = Math.max(0, total - w);
  return [f, f + w];
}

function EventMark({ p, selected, onSelect }: { p: PlacedEvent; selected: boolean; onSelect: (e: TimelineEvent) => void }) {
  const ev = p.event;
  const c = eventColor(ev);
  const top = p.trackY;
  const label = `${ev.label}, ${formatOffset(ev.atMs)}${ev.durMs > 0 ? `, ${ev.durMs.toFixed(1)} ms` : ''}`;
  return (
    <g
      className={`tl-ev${selected ? ' selected' : ''}`}
      tabIndex={0}
      role="button"
      aria-label={label}
      data-event-id={ev.id}
      data-kind={ev.kind}
      onMouseEnter={() => onSelect(ev)}
      onFocus={() => onSelect(ev)}
      onClick={() => onSelect(ev)}
    >
      <title>{label}</title>
      {p.w > 0 ? (
        <rect x={p.x} y={ev.kind === 'rtp' ? top : top + 2} width={p.w} height={ev.kind === 'rtp' ? 16 : 12} rx={2} fill={c} fillOpacity={ev.kind === 'rtp' ? 0.45 : 0.9} />
      ) : (
        <>
          <line x1={p.x} x2={p.x} y1={top - 2} y2={p.labelY !== null ? p.labelY - 9 : top + 18} stroke={c} strokeWidth={1.5} />
          <polygon
            fill={c}
            points={
              ev.direction === 'in'
                ? `${p.x + 5},${top + 3} ${p.x - 1},${top + 8} ${p.x + 5},${top + 13}`
                : ev.direction === 'out'
                  ? `${p.x - 5},${top + 3} ${p.x + 1},${top + 8} ${p.x - 5},${top + 13}`
                  : `${p.x},${top + 2} ${p.x + 5},${top + 8} ${p.x},${top + 14} ${p.x - 5},${top + 8}`
            }
          />
          {/* a wider invisible target, so a 1.5 px line is easy to hover */}
          <rect x={p.x - 4} y={top - 2} width={8} height={20} fill="transparent" />
        </>
      )}
      {p.labelInside && (
        <text x={p.labelX} y={top + 12} className="tl-in">
          {ev.label}
        </text>
      )}
      {p.labelY !== null && (
        <text x={p.labelX} y={p.labelY} textAnchor={p.labelAnchor} className={ev.ok === false ? 'tl-bad' : undefined}>
          {ev.label}
        </text>
      )}
    </g>
  );
}

/** The detail of what is hovered or focused: the message, request or packet, as text. */
function DetailBox({ selected }: { selected: Selected }) {
  if (!selected) return <p className="muted tl-hint">Hover an event or Tab to it for its SIP message, HTTP exchange or packet detail.</p>;
  if (selected.kind === 'span') {
    const s = selected.span;
    return (
      <div className="tl-detail" data-testid="timeline-detail">
        <b>{s.name}</b> {s.ms} ms <span className="muted">({formatOffset(s.fromMs)} → {formatOffset(s.toMs)})</span>
      </div>
    );
  }
  const e = selected.event;
  return (
    <div className="tl-detail" data-testid="timeline-detail">
      <div>
        <b>{e.label}</b> <span className="muted">{formatOffset(e.atMs)}{e.durMs > 0 ? `, ${e.durMs.toFixed(1)} ms long` : ''} · {e.lane} · {e.kind}</span>
        {e.ok === false && <span className="badge-fail"> failed</span>}
      </div>
      <pre>{e.detail}</pre>
    </div>
  );
}

/** The zoomable timeline of one contact. */
export function TimelineView({ timeline }: { timeline: ContactTimeline }) {
  const [boxRef, boxWidth] = useWidth<HTMLDivElement>(900);
  const total = Math.max(1, timeline.durationMs * 1.02);
  const [[from, to], setWindow] = useState<[number, number]>([0, total]);
  const [selected, setSelected] = useState<Selected>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; from: number; to: number } | null>(null);

  useEffect(() => setWindow([0, total]), [timeline.contactId, total]);
  const layout = useMemo(() => layoutTimeline(timeline, { width: boxWidth, fromMs: from, toMs: to }), [timeline, boxWidth, from, to]);

  const zoom = useCallback(
    (factor: number, atMs?: number) => {
      setWindow(([f, t]) => {
        const center = atMs ?? (f + t) / 2;
        const w = (t - f) * factor;
        const ratio = (center - f) / (t - f);
        return clampWindow(center - w * ratio, center - w * ratio + w, total);
      });
    },
    [total],
  );
  const pan = useCallback((deltaMs: number) => setWindow(([f, t]) => clampWindow(f + deltaMs, t + deltaMs, total)), [total]);

  // The wheel zooms around the pointer; a native listener, because React's wheel handler is passive.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = svg.getBoundingClientRect();
      const x = e.clientX - rect.left;
      const atMs = layout.fromMs + (x - GUTTER) / layout.scale;
      zoom(e.deltaY < 0 ? 0.8 : 1.25, Math.max(layout.fromMs, Math.min(layout.toMs, atMs)));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [layout.fromMs, layout.toMs, layout.scale, zoom]);

  // ←/→ walk the visible events in timeline order (time, then lane), whatever lane they are on.
  const focusNeighbour = (dir: 1 | -1): void => {
    const shown = new Set(layout.events.map((p) => p.event.id));
    const ids = timeline.events.map((e) => e.id).filter((id) => shown.has(id));
    const cur = selected?.kind === 'event' ? ids.indexOf(selected.event.id) : -1;
    const next = ids[Math.max(0, Math.min(ids.length - 1, cur + dir))];
    if (next) svgRef.current?.querySelector<SVGGElement>(`[data-event-id="${CSS.escape(next)}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const w = to - from;
    if (e.key === '+' || e.key === '=') zoom(0.5);
    else if (e.key === '-' || e.key === '_') zoom(2);
    else if (e.key === '0') setWindow([0, total]);
    else if (e.key === 'ArrowLeft' && e.shiftKey) pan(-w * 0.2);
    else if (e.key === 'ArrowRight' && e.shiftKey) pan(w * 0.2);
    else if (e.key === 'ArrowLeft') focusNeighbour(-1);
    else if (e.key === 'ArrowRight') focusNeighbour(1);
    else if (e.key === 'Escape') setSelected(null);
    else return;
    e.preventDefault();
  };

  const zoomed = from > 0.5 || to < total - 0.5;
  return (
    <div className="tl" onKeyDown={onKeyDown}>
      <div className="tl-toolbar" role="toolbar" aria-label="Timeline zoom">
        <button type="button" onClick={() => zoom(0.5)} aria-label="Zoom in" data-testid="timeline-zoom-in">+</button>
        <button type="button" onClick={() => zoom(2)} aria-label="Zoom out" data-testid="timeline-zoom-out">−</button>
        <button type="button" onClick={() => setWindow([0, total])} disabled={!zoomed} data-testid="timeline-fit">Fit</button>
        <button type="button" onClick={() => pan(-(to - from) * 0.5)} disabled={from <= 0} aria-label="Pan left">◀</button>
        <button type="button" onClick={() => pan((to - from) * 0.5)} disabled={to >= total} aria-label="Pan right">▶</button>
        <span className="muted" data-testid="timeline-window">
          {formatOffset(from)} → {formatOffset(to)} of {formatOffset(timeline.durationMs)} · wheel to zoom, drag to pan, Tab and ←/→ through events, +/−/0
        </span>
      </div>
      <div className="tl-box" ref={boxRef}>
        <svg
          ref={svgRef}
          className="tl-svg"
          width={layout.width}
          height={layout.height}
          role="group"
          aria-label={`Timeline of contact ${timeline.contactId}`}
          data-testid="contact-timeline"
          onPointerDown={(e) => {
            if ((e.target as Element).closest('.tl-ev')) return;
            drag.current = { x: e.clientX, from, to };
            (e.currentTarget as SVGSVGElement).setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            const d = drag.current;
            if (!d) return;
            const dx = (e.clientX - d.x) / layout.scale;
            setWindow(clampWindow(d.from - dx, d.to - dx, total));
          }}
          onPointerUp={() => (drag.current = null)}
        >
          {layout.ticks.map((tk) => (
            <g key={tk.x}>
              <line x1={tk.x} x2={tk.x} y1={18} y2={layout.height - 4} className="tl-grid" />
              <text x={tk.x} y={13} textAnchor="middle" className="tl-tick">
                {tk.text}
              </text>
            </g>
          ))}
          {layout.lanes.map((l, i) => (
            <g key={l.id} data-lane={l.id}>
              {i % 2 === 0 && <rect x={0} y={l.y} width={layout.width} height={l.height} className="tl-lane-bg" />}
              <line x1={0} x2={layout.width} y1={l.y + l.height} y2={l.y + l.height} className="tl-lane-line" />
            </g>
          ))}
          <svg x={GUTTER - 8} y={0} width={layout.width - GUTTER + 8} height={layout.height} overflow="hidden">
            <g transform={`translate(${-(GUTTER - 8)},0)`}>
              {layout.events.filter((p) => p.w > 0).map((p) => (
                <EventMark key={p.event.id} p={p} selected={selected?.kind === 'event' && selected.event.id === p.event.id} onSelect={(ev) => setSelected({ kind: 'event', event: ev })} />
              ))}
              {layout.events.filter((p) => p.w === 0).map((p) => (
                <EventMark key={p.event.id} p={p} selected={selected?.kind === 'event' && selected.event.id === p.event.id} onSelect={(ev) => setSelected({ kind: 'event', event: ev })} />
              ))}
              {layout.spans.map((s, i) => (
                <g key={`${s.span.name}-${i}`} className="tl-ev tl-span" tabIndex={0} role="button" aria-label={`${s.label}`} onMouseEnter={() => setSelected({ kind: 'span', span: s.span })} onFocus={() => setSelected({ kind: 'span', span: s.span })}>
                  <title>{s.label}</title>
                  <line x1={s.x1} x2={s.x2} y1={s.y} y2={s.y} strokeWidth={2} />
                  <line x1={s.x1} x2={s.x1} y1={s.y - 4} y2={s.y + 4} />
                  <line x1={s.x2} x2={s.x2} y1={s.y - 4} y2={s.y + 4} />
                  <text x={s.labelX} y={s.y - 3} textAnchor={s.labelAnchor} className="tl-tick">
                    {s.label}
                  </text>
                </g>
              ))}
            </g>
          </svg>
          {layout.lanes.map((l) => (
            <text key={l.id} x={8} y={l.y + 19} className="tl-lane">
              {l.title}
            </text>
          ))}
          {layout.marksY !== null && (
            <text x={8} y={layout.marksY + 12} className="tl-lane">
              Latency marks
            </text>
          )}
        </svg>
      </div>
      <div aria-live="polite">
        <DetailBox selected={selected} />
      </div>
    </div>
  );
}
