import { LATENCY_MARK_NAMES, type LatencyMarks as Marks } from '../../../shared/types';
import { fmtMs } from '../format';

/** The named latency marks of the call (design.md §4), ms with one decimal. */
export function LatencyMarks({ latency }: { latency: Marks }) {
  return (
    <section className="panel" aria-label="Latency">
      <h2>Latency</h2>
      <dl className="kv latency" data-testid="latency">
        {LATENCY_MARK_NAMES.map((name) => (
          <div key={name} className="kv-row" data-mark={name}>
            <dt>
              <code>{name}</code>
            </dt>
            <dd className={latency[name] === undefined ? 'num muted' : 'num'}>{fmtMs(latency[name])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
