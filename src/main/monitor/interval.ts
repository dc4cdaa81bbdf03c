/**
 * Parsing of the monitor's interval (`--every 5m`).
 */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses an interval: a number with a unit `ms`, `s`, `m` or `h` (`250ms`, `30s`, `5m`, `1h`,
 * `1.5m`), or a bare number of seconds.
 * @returns milliseconds (a whole number, at least 1).
 * @throws Error naming the expected form on anything else, or a value of 0.
 */
export function parseInterval(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!m) throw new Error(`interval "${text}": expected a number with a unit, e.g. 30s, 5m, 1h (or 500ms)`);
  const ms = Math.round(Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]!);
  if (ms < 1) throw new Error(`interval "${text}" must be longer than 0`);
  return ms;
}

/** Short text of an interval in ms: `5m`, `30s`, `1h`, `250ms`. */
export function formatInterval(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
