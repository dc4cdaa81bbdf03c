import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../src/main/timeline/build';
import { timelineSvg } from '../../../src/main/reports/timeline-svg';
import { GUTTER, labelWidth, layoutTimeline } from '../../../src/shared/timeline-layout';
import { handoffLegs, signal } from '../../helpers/timeline/fixtures';

const CID = '18815573621';
function timeline() {
  const { cxone, bot } = handoffLegs(CID, 300);
  return buildTimeline({ contactId: CID, calls: [{ call: cxone, runKind: 'handoff' }, { call: bot, runKind: 'handoff' }], signals: [signal('sig-1', CID, 250, 202, { p1: 'a<b&"c"' })] });
}

describe('timeline layout and SVG', () => {
  it('labels of one lane never overlap on a row, and stay inside the drawing', () => {
    const t = timeline();
    for (const width of [420, 700, 1100, 2000]) {
      const L = layoutTimeline(t, { width });
      const rows = new Map<string, Array<[number, number]>>();
      for (const p of L.events) {
        if (p.labelY === null) continue;
        const w = labelWidth(p.event.label);
        const x1 = p.labelAnchor === 'end' ? p.labelX - w : p.labelX;
        expect(x1).toBeGreaterThanOrEqual(GUTTER - 0.001);
        expect(x1 + w).toBeLessThanOrEqual(width + 0.001);
        const key = `${p.event.lane}:${p.labelY}`;
        for (const [a, b] of rows.get(key) ?? []) expect(x1 >= b || x1 + w <= a, `${p.event.label} overlaps at width ${width}`).toBe(true);
        rows.set(key, [...(rows.get(key) ?? []), [x1, x1 + w]]);
      }
    }
  });

  it('a zoomed window keeps only what is in it, on the same scale', () => {
    const t = timeline();
    const L = layoutTimeline(t, { width: 1000, fromMs: 270, toMs: 310 });
    const ids = L.events.map((p) => p.event.id);
    expect(ids).toContain('signal:sig-1');
    expect(ids.some((id) => id.startsWith('sip:cxone-leg:1'))).toBe(false); // the INVITE at 0 is out of the window
    const sig = L.events.find((p) => p.event.id === 'signal:sig-1')!;
    expect(sig.x).toBeCloseTo(GUTTER + (280 - 270) * L.scale, 6);
  });

  it('the SVG is self-contained: no script, no external reference, text escaped, a <title> per event', () => {
    const t = timeline();
    const svg = timelineSvg(t);
    expect(svg).not.toMatch(/<script|href=|url\(/i);
    expect(svg).toContain('p1=a&lt;b&amp;&quot;c&quot;');
    expect((svg.match(/<g tabindex="0" class="ev"><title>/g) ?? []).length).toBe(t.events.length + t.spans.length);
  });
});
