import { LATENCY_MARK_NAMES, type CallDetail, type LatencyMarkName } from '../../../shared/types';
import { fmtMs } from '../format';
import { useWidth } from '../use-width';

/** One mark placed on the call's time axis: start and end in ms after the INVITE. */
export interface PlacedMark {
  name: LatencyMarkName;
  ms: number;
  start: number | null;
}

const LABEL_W = 160;
const VALUE_W = 76;
const MIN_AXIS_W = 200;
const ROW = 22;

/**
 * Places each latency mark on one axis starting at the INVITE (design.md §4): the INVITE marks from
 * 0, the media marks from the answer, the token and HTTP time of a Signal ending at its response
 * (monotonic stamps), `signal_to_bye_ms` from the response. A mark whose anchor is unknown keeps
 * its value but has no place (`start` null).
 */
export function placeMarks(call: Pick<CallDetail, 'latency' | 'messages' | 'signals'>): PlacedMark[] {
  const invite = [...call.messages].sort((a, b) => a.monoMs - b.monoMs).find((m) => m.method === 'INVITE' && m.status === undefined);
  const t0 = invite?.monoMs ?? null;
  const l = call.latency;
  const answer = l.invite_to_200 ?? null;
  const signal = call.signals.find((s) => s.ok && s.doneMonoMs !== null) ?? call.signals.find((s) => s.doneMonoMs !== null);
  const signalDone = signal && t0 !== null && signal.doneMonoMs !== null ? signal.doneMonoMs - t0 : null;
  const httpStart = signalDone !== null && l.signal_http_ms !== undefined ? signalDone - l.signal_http_ms : null;
  const starts: Record<LatencyMarkName, number | null> = {
    invite_to_100: 0,
    invite_to_180: 0,
    invite_to_200: 0,
    answer_to_first_rtp: answer,
    answer_to_first_voice: answer,
    token_ms: httpStart !== null && l.token_ms !== undefined ? httpStart - l.token_ms : null,
    signal_http_ms: httpStart,
    signal_to_bye_ms: signalDone,
  };
  return LATENCY_MARK_NAMES.filter((n) => l[n] !== undefined).map((name) => ({
    name,
    ms: l[name]!,
    start: t0 === null ? null : starts[name],
  }));
}

/** Round tick step (ms) giving about five ticks over `span`. */
function tickStep(span: number): number {
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 0.001)));
  return [1, 2, 5, 10].map((k) => k * pow).find((s) => s >= raw) ?? raw;
}

/** The call's latency marks as a waterfall on one time axis from the INVITE, with their values. */
export function LatencyTimeline({ call }: { call: Pick<CallDetail, 'latency' | 'messages' | 'signals'> }) {
  const [boxRef, boxWidth] = useWidth<HTMLDivElement>(600);
  const AXIS_W = Math.max(MIN_AXIS_W, boxWidth - LABEL_W - VALUE_W - 24);
  const marks = placeMarks(call);
  const placed = marks.filter((m) => m.start !== null);
  const end = Math.max(1, ...placed.map((m) => (m.start ?? 0) + m.ms));
  const step = tickStep(end);
  const ticks: number[] = [];
  for (let t = 0; t <= end + step / 2; t += step) ticks.push(t);
  const span = Math.max(end, ticks[ticks.length - 1] ?? end);
  const px = (ms: number): number => LABEL_W + VALUE_W + 12 + (ms / span) * AXIS_W;
  const height = (marks.length + 1) * ROW + 6;
  return (
    <section className="panel" aria-label="Latency" data-testid="latency">
      <h2>
        Latency <span className="muted">marks on one time axis from the INVITE (monotonic stamps)</span>
      </h2>
      {marks.length === 0 ? (
        <p className="empty">No latency marks yet.</p>
      ) : (
        <div className="timeline-scroll" ref={boxRef}>
          <svg className="timeline" width={LABEL_W + VALUE_W + AXIS_W + 24} height={height} role="img" aria-label="Latency marks timeline">
            {ticks.map((t) => (
              <g key={t}>
                <line x1={px(t)} x2={px(t)} y1={0} y2={height - ROW + 4} className="tick-line" />
                <text x={px(t)} y={height - 4} textAnchor="middle" className="tick-label">
                  {t >= 1000 ? `${(t / 1000).toFixed(t % 1000 ? 1 : 0)} s` : `${Math.round(t)} ms`}
                </text>
              </g>
            ))}
            {marks.map((m, i) => {
              const y = i * ROW + 4;
              return (
                <g key={m.name} data-mark={m.name} className="timeline-mark">
                  <text x={0} y={y + 13} className="mark-name">
                    {m.name}
                  </text>
                  {m.start !== null ? (
                    <rect x={px(m.start)} y={y + 3} width={Math.max(2, px(m.start + m.ms) - px(m.start))} height={ROW - 8} rx={2} className={`mark-bar bar-${m.name.split('_')[0]}`} />
                  ) : (
                    <text x={px(0)} y={y + 13} className="muted-text">
                      (no anchor stamp)
                    </text>
                  )}
                  <text x={LABEL_W + VALUE_W} y={y + 13} textAnchor="end" className="mark-value">
                    {fmtMs(m.ms)}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      )}
    </section>
  );
}
