/**
 * The CLI commands' log: warnings and errors go to stderr (stdout keeps the report, which `--json`
 * makes machine-readable); info and debug lines only with `LAB_DEBUG=1`.
 */
export function stderrLog(level: string, msg: string): void {
  if ((level === 'debug' || level === 'info') && !process.env.LAB_DEBUG) return;
  process.stderr.write(`[${level}] ${msg}\n`);
}
