/**
 * Loading a test case file (YAML, or JSON: YAML 1.2 reads it too): parse with line positions,
 * substitute `${name}` variables, validate with the zod schemas, and say where a problem is as
 * `file:line:column: what is wrong` (issue 13 item 2: "a bad case file: the file, line and what is
 * wrong").
 *
 * Secrets stay placeholders here: `${env:NAME}` and `${keychain:account}` are resolved only when
 * the case runs (secrets.ts), so the loaded case, history and reports never hold them.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { caseHeadSchema, parseSteps, type StepProblem, type TestCase } from './schema';

/** A problem of a case or suite file, located. */
export class CaseFileError extends Error {
  override readonly name = 'CaseFileError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line !== null ? `:${line}${column !== null ? `:${column}` : ''}` : ''}: ${problem}`);
  }
}

/** A loaded case: the validated case, where it came from, and the variables it was loaded with. */
export interface LoadedCase {
  case: TestCase;
  file: string;
  /** The variables applied (name → value), for the report's case name. */
  vars: Record<string, string>;
}

/** A parsed YAML document with its line counter. */
export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  file: string;
}

/**
 * Parses YAML/JSON text.
 * @throws {@link CaseFileError} at the first syntax error.
 */
export function parseYamlText(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    throw new CaseFileError(file, pos.line, pos.col, err.message.split('\n')[0] ?? err.message);
  }
  return { doc, lines, file };
}

/** The 1-based line and column of the node at `path` (or its nearest existing parent). */
export function locate(p: ParsedYaml, path: readonly (string | number)[]): { line: number | null; column: number | null } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? p.doc.contents : p.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      // For a key path, the value node's start; a missing key falls back to its parent mapping.
      const pos = p.lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: null, column: null };
}

/** Throws the first zod issue of `error` located in `p`. */
export function throwZodIssue(p: ParsedYaml, error: z.ZodError, prefix: (string | number)[] = []): never {
  const iss = error.issues[0]!;
  const path = [...prefix, ...(iss.path as (string | number)[])];
  let message = iss.message;
  if (iss.code === 'unrecognized_keys') message = `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
  const where = path.length ? `${path.join('.')}: ` : '';
  const { line, column } = locate(p, iss.code === 'unrecognized_keys' ? [...path, iss.keys[0]!] : path);
  throw new CaseFileError(p.file, line, column, `${where}${message}`);
}

/**
 * Substitutes `${name}` variables in every string of `value` (recursively); `${env:…}` and
 * `${keychain:…}` are left as they are. `$${` escapes a literal `${`.
 * @throws {@link CaseFileError} for an unknown variable, located at the string.
 */
export function substituteVars(p: ParsedYaml, value: unknown, vars: Readonly<Record<string, string>>, path: (string | number)[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(/(\$?)\$\{([^}]*)\}/g, (whole: string, escape: string, name: string) => {
      if (escape) return whole.slice(1);
      const n = name.trim();
      if (/^(env|keychain):/.test(n)) return whole;
      if (Object.hasOwn(vars, n)) return vars[n]!;
      const { line, column } = locate(p, path);
      const known = Object.keys(vars);
      throw new CaseFileError(p.file, line, column, `unknown variable \${${n}}${known.length ? `; known: ${known.join(', ')}` : '; set it with --var name=value or vars:'}`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteVars(p, v, vars, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, substituteVars(p, v, vars, [...path, k])]));
  }
  return value;
}

/** Fields a variable of the same name overrides (a suite's matrix over profile × transport). */
const OVERRIDABLE = ['profile', 'mode', 'transport'] as const;

/**
 * Loads and validates one case from text.
 * @param vars - variables from outside (suite vars, a matrix row, --var), over the case's own `vars`.
 * @throws {@link CaseFileError} with file, line and what is wrong.
 */
export function loadCaseText(text: string, file: string, vars: Readonly<Record<string, string>> = {}): LoadedCase {
  const p = parseYamlText(text, file);
  const raw: unknown = p.doc.toJS();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CaseFileError(file, 1, 1, 'a test case is a mapping with name, mode, steps…');
  const own = (raw as Record<string, unknown>).vars;
  const ownVars: Record<string, string> =
    own && typeof own === 'object' && !Array.isArray(own) ? Object.fromEntries(Object.entries(own).map(([k, v]) => [k, String(v)])) : {};
  const allVars = { ...ownVars, ...vars };
  const substituted = substituteVars(p, raw, allVars) as Record<string, unknown>;
  for (const f of OVERRIDABLE) if (Object.hasOwn(vars, f)) substituted[f] = vars[f];
  const head = caseHeadSchema.safeParse(substituted);
  if (!head.success) throwZodIssue(p, head.error);
  const { steps, problems } = parseSteps(head.data.steps, head.data.mode);
  if (problems.length) throwStepProblem(p, problems[0]!);
  const tc: TestCase = { ...head.data, steps };
  return { case: tc, file, vars: { ...vars } };
}

function throwStepProblem(p: ParsedYaml, prob: StepProblem): never {
  const path = ['steps', ...prob.path];
  const { line, column } = locate(p, path);
  throw new CaseFileError(p.file, line, column, `step ${Number(prob.path[0]) + 1}: ${prob.message}`);
}

/**
 * Reads and loads one case file.
 * @throws {@link CaseFileError} when it cannot be read or is not a valid case.
 */
export function loadCaseFile(file: string, vars: Readonly<Record<string, string>> = {}): LoadedCase {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CaseFileError(file, null, null, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return loadCaseText(text, file, vars);
}

/** The outcome of {@link checkCaseText}: the case, or where and what is wrong (a result value, for the dashboard's live validation). */
export type CaseCheck =
  | { ok: true; case: TestCase }
  | { ok: false; file: string; line: number | null; column: number | null; problem: string; message: string };

/**
 * Validates case text without throwing (an editor's live check).
 * @param file - the name shown in the message (and the folder `play` paths are relative to).
 */
export function checkCaseText(text: string, file = 'case.yaml', vars: Readonly<Record<string, string>> = {}): CaseCheck {
  try {
    return { ok: true, case: loadCaseText(text, file, vars).case };
  } catch (e) {
    if (e instanceof CaseFileError) return { ok: false, file: e.file, line: e.line, column: e.column, problem: e.problem, message: e.message };
    throw e;
  }
}
