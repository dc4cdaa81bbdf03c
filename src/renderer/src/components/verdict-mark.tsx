/** ✓ / ✗ (or – when unknown) with the ok/fail colour. */
export function VerdictMark({ ok, title }: { ok: boolean | null | undefined; title?: string }) {
  if (ok === null || ok === undefined) {
    return (
      <span className="mark mark-none" title={title}>
        –
      </span>
    );
  }
  return (
    <span className={ok ? 'mark mark-ok' : 'mark mark-fail'} title={title} aria-label={ok ? 'ok' : 'fail'}>
      {ok ? '✓' : '✗'}
    </span>
  );
}
