/**
 * Durations in test case files: `"800ms"`, `"5s"`, `"1.5s"`, `"2m"`, or a plain number of
 * milliseconds (issue 13 item 1). Assumed here: no hours and no compound forms (`1m30s`); a case
 * longer than minutes is a monitor's job.
 */

/** The accepted spellings, for error messages and the JSON Schema. */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/i;

/** A duration that is not one of the accepted spellings. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
}

/**
 * Parses a duration.
 * @param value - a number of ms (finite, ≥ 0) or a string `<number><ms|s|m>`.
 * @returns milliseconds, rounded to a whole number.
 * @throws {@link DurationError} naming the value and the accepted forms.
 */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
    throw new DurationError(`duration ${value} must be a number of ms ≥ 0`);
  }
  if (typeof value === 'string') {
    const m = DURATION_PATTERN.exec(value);
    if (m) {
      const n = Number(m[1]);
      const unit = m[2]!.toLowerCase();
      return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000);
    }
  }
  throw new DurationError(`duration ${JSON.stringify(value)} is not valid: write "800ms", "5s", "2m" or a number of ms`);
}

/** Formats ms for step labels and details: `800ms`, `5s`, `1.5s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000 || ms % 100 !== 0) return `${Math.round(ms)}ms`;
  return `${ms / 1000}s`;
}
