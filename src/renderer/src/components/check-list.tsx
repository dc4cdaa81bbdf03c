import type { CheckResult } from '../../../shared/types';
import { VerdictMark } from './verdict-mark';

/** Named checks as rows: ✓/✗, the name, the detail. */
export function CheckRows({ checks, className = 'checks' }: { checks: CheckResult[]; className?: string }) {
  return (
    <ul className={className}>
      {checks.map((c, i) => (
        <li key={`${i}-${c.name}`} data-testid="check-row" data-ok={c.ok ? 'true' : 'false'}>
          <VerdictMark ok={c.ok} />
          <code className="check-name">{c.name}</code>
          <span className="check-detail">{c.detail}</span>
        </li>
      ))}
    </ul>
  );
}

/** The call's named checks with ✓/✗ and their detail. */
export function CheckList({ checks }: { checks: CheckResult[] }) {
  return (
    <section className="panel" aria-label="Checks">
      <h2>
        Checks{' '}
        {checks.length > 0 && (
          <span className="muted">
            {checks.filter((c) => c.ok).length}/{checks.length} ok
          </span>
        )}
      </h2>
      {checks.length === 0 ? <p className="empty">No checks yet.</p> : <CheckRows checks={checks} />}
    </section>
  );
}
