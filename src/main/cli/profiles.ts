/**
 * `lab profiles [--json]`: the vendor profiles, each rule with its source (issue 14), and the
 * emulator's and client's own rules. Text by default; `--json` prints one JSON document.
 */
import { parseArgs } from 'node:util';
import type { RuleSource } from '../../shared/profile';
import { EMULATOR_RULES } from '../emulator/rules';
import { describeTopology, listProfiles, profileRules, TOPOLOGY_BEHAVIOUR, TOPOLOGY_KINDS } from '../profiles';
import { formatSource } from '../profiles/sources';

/** Usage lines of the command. */
export const PROFILES_USAGE = `  profiles [--json]
      Lists the vendor profiles with every rule and its source (seed guide, NICE doc, RFC, or
      "assumed here"); --json prints them (and the emulator's rules) as JSON.`;

/** One rule in the JSON output. */
export interface ProfilesJsonRule {
  id: string;
  rule: string;
  source: RuleSource;
  /** Checks built on an assumed rule are warnings, never failures. */
  assumed: boolean;
}

/** The `--json` document. */
export interface ProfilesJson {
  profiles: Array<{ id: string; name: string; topology: string; rules: ProfilesJsonRule[] }>;
  emulator: ProfilesJsonRule[];
  /** What each script topology's scripts do, as the emulator plays them, each step with its source. */
  topologies: Array<{ kind: string } & Record<'layout' | 'onSignal' | 'onRelease', { text: string; source: RuleSource }>>;
}

/** The document `lab profiles --json` prints. */
export function profilesJson(): ProfilesJson {
  return {
    profiles: listProfiles().map((p) => ({
      id: p.id,
      name: p.name,
      topology: describeTopology(p.topology),
      rules: profileRules(p).map((r) => ({ id: r.id, rule: r.rule, source: r.source, assumed: r.assumed })),
    })),
    emulator: EMULATOR_RULES.map((r) => ({ id: r.id, rule: r.rule, source: r.source, assumed: r.source.kind === 'assumed' })),
    topologies: TOPOLOGY_KINDS.map((kind) => ({ kind, ...TOPOLOGY_BEHAVIOUR[kind] })),
  };
}

/**
 * Runs `lab profiles`.
 * @param args - the arguments after `profiles`.
 * @returns the exit status (0).
 * @throws Error (a usage error) on an unknown flag.
 */
export function profilesCommand(args: string[], out: (line: string) => void = console.log): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: false, strict: true });
  const doc = profilesJson();
  if (values.json) {
    out(JSON.stringify(doc, null, 2));
    return 0;
  }
  for (const p of listProfiles()) {
    out(`${p.id.padEnd(10)} ${p.name.padEnd(22)} header ${p.contactIdHeaders.join(' | ')}; hangs up: ${p.hangsUp}; ${p.apiVersion}`);
    for (const r of profileRules(p)) out(`    ${r.assumed ? '~' : '•'} ${r.rule}  [${formatSource(r.source)}]`);
  }
  out('emulator and client:');
  for (const r of doc.emulator) out(`    ${r.assumed ? '~' : '•'} ${r.rule}  [${formatSource(r.source)}]`);
  out('(~ assumed here: a check built on it is a warning, never a failure)');
  return 0;
}
