/**
 * Script topologies of the CXone side (issue 14): which contact's id the header holds, which
 * script waits in ONSIGNAL, and what the scripts do on ONSIGNAL and ONRELEASE, each with its source.
 * Used by the emulator (what it plays), the contact checks (how a wrong leg is explained) and the
 * profile editor.
 */
import type { RuleSource, ScriptTopology, TopologyKind, VendorProfile } from '../../shared/profile';
import { assumed, nice, seed, SEED } from './sources';

/** The topology kinds, in display order. */
export const TOPOLOGY_KINDS: readonly TopologyKind[] = ['single', 'main-spawn', 'parent-child'];

/** Names of the two scripts under each topology (`main`, `placer`), for messages. */
export const SCRIPT_NAMES: Readonly<Record<TopologyKind, { main: string; placer: string }>> = {
  single: { main: 'the script', placer: 'the script' },
  'main-spawn': { main: 'the Main script', placer: 'the Spawn script' },
  'parent-child': { main: 'the parent script', placer: 'the child script' },
};

/** What one topology's scripts do, each step with its source. */
export interface TopologyBehaviour {
  /** How the scripts are laid out. */
  layout: { text: string; source: RuleSource };
  /** What the script waiting in ONSIGNAL does when it fires. */
  onSignal: { text: string; source: RuleSource };
  /** What happens when the bot sends BYE before any ONSIGNAL. */
  onRelease: { text: string; source: RuleSource };
}

/** The three topologies' behaviour as the emulator plays it, each step with its source. */
export const TOPOLOGY_BEHAVIOUR: Readonly<Record<TopologyKind, TopologyBehaviour>> = {
  single: {
    layout: { text: 'one script: SIPPUTHEADER X-ContactID = {ContactId}, PLACECALL, ONSIGNAL', source: seed(SEED.watson) },
    onSignal: {
      text: 'p1=hangup → HANGUP; any other p1 (the session history key) → REQAGENT',
      source: seed(SEED.watson, 'Onsignal: "If p1 is set to hangup … use Hangup"; otherwise save p1 and Reqagent'),
    },
    onRelease: {
      text: 'a BYE from the bot → ONRELEASE → transfer to an agent once (the transferred flag)',
      source: seed(SEED.watson, '"the phone integration disconnects the call by sending a SIP BYE … Use Onrelease to process the BYE request and transfer"'),
    },
  },
  'main-spawn': {
    layout: { text: 'the Main script accepts the call on the DID and SPAWNs the Spawn script, which puts the headers and PLACECALLs', source: seed(SEED.kore) },
    onSignal: {
      text: 'the bot ends its own leg after signalling; the script then transfers to an agent (p1=AgentHandoff)',
      source: seed(SEED.kore, '"the call must end from Kore"; "p1=AgentHandoff triggers the agent transfer"'),
    },
    onRelease: {
      text: 'a BYE from the bot before any Signal → ONRELEASE → transfer to an agent',
      source: assumed('ONRELEASE transfer under Kore', 'seed 000 does not describe ONRELEASE; IBM\'s pattern (seed 002) is played'),
    },
  },
  'parent-child': {
    layout: {
      text: 'the parent keeps SetMasterId = {ContactId} and waits in ONSIGNAL; the child puts the headers and PLACECALLs (LinkContactId = {MasterId})',
      source: seed(SEED.synthflow),
    },
    onSignal: {
      text: 'End Call drops the bot leg, then REQAGENT routes to the queue in p1',
      source: seed(SEED.synthflow, '"The End Call block drops Synthflow from the conversation. The REQAGENT action routes the caller"'),
    },
    onRelease: {
      text: 'a BYE from the bot before any Signal → ONRELEASE → transfer to an agent',
      source: assumed('ONRELEASE transfer under parent/child', 'seed 001 does not describe ONRELEASE; IBM\'s pattern (seed 002) is played'),
    },
  },
};

/** ONSIGNAL fires in the script of the contact signalled, and interrupts it [H-ONS]. */
export const ONSIGNAL_FIRES_IN_SIGNALLED_SCRIPT: RuleSource = nice('H-ONS', 'ONSIGNAL fires in the script whose contact id was signalled');

/**
 * A topology with its settings made consistent: under `single` there is one script, so both
 * settings name it (`main`).
 */
export function normalizeTopology(t: ScriptTopology): ScriptTopology {
  return t.kind === 'single' ? { kind: 'single', headerHolds: 'main', onSignalIn: 'main' } : { ...t };
}

/**
 * The topology a legacy `signalTarget` meant (profiles stored before issue 14): parent/child with the
 * header and the ONSIGNAL both on that contact.
 */
export function legacyTopology(signalTarget: 'master' | 'child'): ScriptTopology {
  const leg = signalTarget === 'master' ? 'main' : 'placer';
  return { kind: 'parent-child', headerHolds: leg, onSignalIn: leg };
}

/**
 * The profile's topology with a per-run or per-case override applied (only the fields given).
 * @returns a normalized topology.
 */
export function topologyOf(profile: Pick<VendorProfile, 'topology'>, override?: Partial<ScriptTopology> | null): ScriptTopology {
  const base = profile.topology;
  if (!override) return normalizeTopology(base);
  const kind = override.kind ?? base.kind;
  // A new kind without settings starts from that kind's usual settings (header and ONSIGNAL on the main script).
  const from: ScriptTopology = override.kind && override.kind !== base.kind ? { kind, headerHolds: 'main', onSignalIn: 'main' } : base;
  return normalizeTopology({ kind, headerHolds: override.headerHolds ?? from.headerHolds, onSignalIn: override.onSignalIn ?? from.onSignalIn });
}

/** True when the header names the contact whose script waits in ONSIGNAL (the handoff can work). */
export function headerReachesOnSignal(t: ScriptTopology): boolean {
  const n = normalizeTopology(t);
  return n.headerHolds === n.onSignalIn;
}

/** One line: `main + spawn: header holds the Main script's ContactId; ONSIGNAL waits in the Main script`. */
export function describeTopology(t: ScriptTopology): string {
  const n = normalizeTopology(t);
  const names = SCRIPT_NAMES[n.kind];
  const kind = n.kind === 'single' ? 'single script' : n.kind === 'main-spawn' ? 'main + spawn' : 'parent/child';
  if (n.kind === 'single') return `${kind}: the script that PLACECALLs puts its own ContactId in the header and waits in ONSIGNAL`;
  return `${kind}: the header holds ${possessive(names[n.headerHolds])} ContactId; ${names[n.onSignalIn]} waits in ONSIGNAL`;
}

function possessive(s: string): string {
  return `${s}'s`;
}

/** A test case's `cxone.topology` (snake_case, as case files are written). */
export interface CaseTopology {
  kind?: TopologyKind;
  header_holds?: 'main' | 'placer';
  onsignal_in?: 'main' | 'placer';
}

/**
 * A case's `cxone.topology` as a run override of the profile's topology (issue 14: "overridable
 * per run or case").
 * @returns undefined when the case sets none.
 */
export function caseTopology(t: CaseTopology | undefined): Partial<ScriptTopology> | undefined {
  if (!t) return undefined;
  return {
    ...(t.kind ? { kind: t.kind } : {}),
    ...(t.header_holds ? { headerHolds: t.header_holds } : {}),
    ...(t.onsignal_in ? { onSignalIn: t.onsignal_in } : {}),
  };
}

/**
 * Parses a CLI topology override: `single`, `main-spawn`, `parent-child`, optionally followed by
 * `,header=main|placer` and `,onsignal=main|placer` (or those alone), e.g.
 * `main-spawn,header=placer` (a Spawn script that puts its own id while the Main script waits).
 * @throws Error naming the accepted form.
 */
export function parseTopologySpec(spec: string): Partial<ScriptTopology> {
  const usage = `--topology "${spec}": [single|main-spawn|parent-child][,header=main|placer][,onsignal=main|placer]`;
  const out: Partial<ScriptTopology> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = part.split('=', 2).map((x) => x.trim());
    if (v === undefined && (TOPOLOGY_KINDS as readonly string[]).includes(k!)) out.kind = k as TopologyKind;
    else if (k === 'header' && (v === 'main' || v === 'placer')) out.headerHolds = v;
    else if (k === 'onsignal' && (v === 'main' || v === 'placer')) out.onSignalIn = v;
    else throw new Error(usage);
  }
  if (Object.keys(out).length === 0) throw new Error(usage);
  return out;
}
