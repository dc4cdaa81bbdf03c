// The source a profile rule or a check follows, apart from profile.ts so that types.ts (which
// profile.ts imports) can name it without an import circle.

/**
 * Where a rule comes from (issue 14): a seed guide (`/work/shared/seeds/…`, cited by file name), a NICE
 * document (a source tag of cxone-reference.md such as `H-PUT`, `H-ONS`, `NICE-FAQ`), an RFC section,
 * or a choice made here because the sources are silent (`assumed`, always with `why`).
 * A check built on an `assumed` rule is a warning, never a failure.
 */
export interface RuleSource {
  kind: 'seed' | 'nice' | 'rfc' | 'assumed';
  /** Seed file name (`000_d4ad4dad8823db79.txt`), NICE doc tag (`H-PUT`), RFC section (`RFC 6749 §2.3.1`), or what the assumption is about. */
  ref: string;
  /** Why the rule follows from the source, or why it is assumed (required for `assumed`). */
  why?: string;
}
