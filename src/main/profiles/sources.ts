/**
 * Citations for the rules profiles and the emulator apply (issue 14): the seed guides by file name,
 * NICE documents by the tags of cxone-reference.md, RFC sections, and assumptions with why.
 * docs/cxone-facts.md lists every rule with its source.
 */
import { formatRuleSource, type RuleSource } from '../../shared/profile';

/** Seed guide file names (`/work/shared/seeds/`, cited by file name). */
export const SEED = {
  /** Kore.ai: voice automation with NICE CXone over SIP. */
  kore: '000_d4ad4dad8823db79.txt',
  /** Synthflow: SIP integration with NICE CXone. */
  synthflow: '001_3d23a4ce92d59cc5.txt',
  /** IBM Watson Assistant: phone integration with NICE CXone. */
  watson: '002_3a3aada58f5230c3.txt',
  /** PolyAI: NICE CXone via the Signal API. */
  polyai: '003_45ce4caa43f38103.txt',
  /** PolyAI: the same guide, an earlier text. */
  polyaiEarlier: '004_6f536923d79115f1.txt',
} as const;

/** A rule from a seed guide. */
export function seed(file: string, why?: string): RuleSource {
  return why ? { kind: 'seed', ref: file, why } : { kind: 'seed', ref: file };
}

/** A rule from a NICE document, by its cxone-reference.md tag (e.g. `H-PUT`, `H-ONS`, `NICE-FAQ`). */
export function nice(tag: string, why?: string): RuleSource {
  return why ? { kind: 'nice', ref: tag, why } : { kind: 'nice', ref: tag };
}

/** A rule from an RFC section (e.g. `RFC 6749 §2.3.1`). */
export function rfc(section: string, why?: string): RuleSource {
  return why ? { kind: 'rfc', ref: section, why } : { kind: 'rfc', ref: section };
}

/** A choice made here because the sources are silent; `why` is required. */
export function assumed(what: string, why: string): RuleSource {
  return { kind: 'assumed', ref: what, why };
}

/** The source of a field a user set without one (custom or edited profiles). */
export const USER_SET: RuleSource = assumed('set in the profile', 'no source recorded for this value: it is what the profile says');

/** `seed 000_…txt`, `NICE H-PUT`, `RFC 6749 §2.3.1`, `assumed here (why)`: one line for reports and the CLI (shared with the renderer). */
export const formatSource = formatRuleSource;

/** True when a check resting on these sources is only a warning (any of them is assumed or missing). */
export function isAssumed(...sources: Array<RuleSource | undefined>): boolean {
  return sources.some((s) => !s || s.kind === 'assumed');
}
