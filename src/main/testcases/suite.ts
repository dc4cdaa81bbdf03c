/**
 * Suites (issue 13 item 2): what `lab test <file|dir>...` runs. A case file is one case; a folder
 * is a suite, its case files (`.yaml`, `.yml`, `.json`) and sub-folders in name order; a
 * `suite.yaml` in a folder may instead list the cases and give variables and a matrix (every
 * combination of the matrix values runs every case once, e.g. profile × transport).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CaseFileError, loadCaseFile, parseYamlText, throwZodIssue, type LoadedCase } from './load';
import { suiteFileSchema } from './schema';

/** The file name that makes a folder a configured suite. */
export const SUITE_FILE = 'suite.yaml';
const CASE_EXT = /\.(ya?ml|json)$/i;

/** One case to run: the loaded case and the name the reports show (with its matrix values). */
export interface CaseJob extends LoadedCase {
  /** The case's name, with the matrix/--var values that made this run of it. */
  displayName: string;
}

/**
 * Expands the command line's paths into case jobs, loading (and validating) every case first.
 * @param vars - `--var` values; they win over suite vars and the matrix.
 * @throws {@link CaseFileError} for a missing path or the first bad case or suite file.
 */
export function collectCases(paths: readonly string[], vars: Readonly<Record<string, string>> = {}): CaseJob[] {
  const jobs: CaseJob[] = [];
  for (const p of paths) jobs.push(...expandPath(resolve(p), {}, vars));
  return jobs;
}

function expandPath(path: string, inherited: Readonly<Record<string, string>>, cli: Readonly<Record<string, string>>): CaseJob[] {
  if (!existsSync(path)) throw new CaseFileError(path, null, null, 'no such file or folder');
  if (statSync(path).isDirectory()) {
    const suite = join(path, SUITE_FILE);
    if (existsSync(suite)) return expandSuiteFile(suite, inherited, cli);
    return listFolder(path).flatMap((p) => expandPath(p, inherited, cli));
  }
  if (basename(path) === SUITE_FILE) return expandSuiteFile(path, inherited, cli);
  const vars = { ...inherited, ...cli };
  const loaded = loadCaseFile(path, vars);
  return [{ ...loaded, displayName: loaded.case.name }];
}

/** Case files and sub-folders of a folder, in name order (suite.yaml and dot-files left out). */
function listFolder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.') && d.name !== SUITE_FILE && (d.isDirectory() || CASE_EXT.test(d.name)))
    .map((d) => d.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => join(dir, n));
}

function expandSuiteFile(file: string, inherited: Readonly<Record<string, string>>, cli: Readonly<Record<string, string>>): CaseJob[] {
  const p = parseYamlText(readFileSync(file, 'utf8'), file);
  const r = suiteFileSchema.safeParse(p.doc.toJS() ?? {});
  if (!r.success) throwZodIssue(p, r.error);
  const dir = dirname(file);
  const entries = r.data.cases ? r.data.cases.map((c) => resolve(dir, c)) : listFolder(dir);
  const rows = matrixRows(r.data.matrix ?? {});
  const jobs: CaseJob[] = [];
  for (const row of rows) {
    const vars = { ...inherited, ...(r.data.vars ?? {}), ...row };
    for (const e of entries) {
      for (const job of expandPath(e, vars, cli)) {
        const shown = Object.entries({ ...row, ...pick(cli, Object.keys(row)) });
        jobs.push({ ...job, displayName: shown.length ? `${job.case.name} [${shown.map(([k, v]) => `${k}=${v}`).join(', ')}]` : job.displayName });
      }
    }
  }
  return jobs;
}

function pick(rec: Readonly<Record<string, string>>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(rec, k)).map((k) => [k, rec[k]!]));
}

/**
 * Every combination of a matrix's values, in the order written (the first variable varies slowest).
 * @returns `[{}]` for an empty matrix.
 */
export function matrixRows(matrix: Readonly<Record<string, readonly string[]>>): Record<string, string>[] {
  let rows: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(matrix)) {
    rows = rows.flatMap((row) => values.map((v) => ({ ...row, [name]: v })));
  }
  return rows;
}
