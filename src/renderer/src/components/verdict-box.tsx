import type { ContactIdVerdict } from '../../../shared/types';

/**
 * The contact-id verdict: ok/fail, header and value found, expected names, problems, near misses.
 * `hasInvite` tells apart "no INVITE yet" from a leg that has no verdict (the leg this app placed).
 */
export function VerdictBox({ verdict, hasInvite }: { verdict: ContactIdVerdict | null; hasInvite: boolean }) {
  if (!verdict) {
    return (
      <section className="panel" aria-label="Contact id verdict">
        <h2>Contact id</h2>
        <p className="empty">
          {hasInvite ? 'No contact-id verdict for this leg (the bot leg checks the INVITE).' : 'No INVITE seen yet.'}
        </p>
      </section>
    );
  }
  return (
    <section
      className={verdict.ok ? 'panel verdict verdict-ok' : 'panel verdict verdict-fail'}
      aria-label="Contact id verdict"
      data-testid="verdict"
      data-ok={verdict.ok ? 'true' : 'false'}
    >
      <h2>
        <span className="verdict-title">{verdict.ok ? '✓ Contact id found' : '✗ Contact id not usable'}</span>
        <span className="muted">profile {verdict.profile}</span>
      </h2>
      <dl className="kv">
        <dt>Header</dt>
        <dd>{verdict.header ? <code>{verdict.header}</code> : <span className="muted">none</span>}</dd>
        <dt>Value</dt>
        <dd>
          {verdict.value !== null ? <code>{verdict.value}</code> : <span className="muted">none</span>}
          {verdict.patternOk === false && <span className="tag tag-fail">pattern</span>}
        </dd>
        <dt>Expected</dt>
        <dd>
          {verdict.expectedHeaders.map((h) => (
            <code key={h} className="chip">
              {h}
            </code>
          ))}
        </dd>
      </dl>
      {verdict.problems.length > 0 && (
        <ul className="problems">
          {verdict.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      {verdict.nearMisses.length > 0 && (
        <div className="near-misses">
          <h3>Near misses</h3>
          <ul>
            {verdict.nearMisses.map((m, i) => (
              <li key={i}>
                <span className="tag tag-warn">{m.kind}</span> <code>{m.header}</code>
                {m.value !== '' && (
                  <>
                    : <code>{m.value}</code>
                  </>
                )}{' '}
                <span className="muted">{m.detail}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
