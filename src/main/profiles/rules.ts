/**
 * A profile's rules as a list, each with its source (issue 14): what `lab profiles --json`, the
 * profile editor, the reports and docs/cxone-facts.md show.
 */
import type { ProfileRuleField, RuleSource, VendorProfile } from '../../shared/profile';
import { PROFILE_RULE_FIELDS } from '../../shared/profile';
import { USER_SET } from './sources';
import { describeTopology } from './topology';

/** One rule of a profile. */
export interface ProfileRule {
  /** Stable id, `<profile>.<field>`, e.g. `kore.contactIdHeaders` (docs/cxone-facts.md uses these). */
  id: string;
  field: ProfileRuleField;
  /** The rule in words, e.g. `contact id header X-ExternalCallId`. */
  rule: string;
  source: RuleSource;
  /** True when the source is an assumption: a check built on it is a warning, never a failure. */
  assumed: boolean;
}

/** The source of one field of a profile; a field without an entry is assumed (set by a user). */
export function sourceOf(profile: Pick<VendorProfile, 'sources'>, field: ProfileRuleField): RuleSource {
  return profile.sources[field] ?? USER_SET;
}

function ruleText(p: VendorProfile, f: ProfileRuleField): string {
  switch (f) {
    case 'contactIdHeaders':
      return `contact id header ${p.contactIdHeaders.join(' | ')}`;
    case 'headerCaseSensitive':
      return p.headerCaseSensitive ? 'the bot matches the header name with exact case' : 'the bot matches the header name in any case';
    case 'valuePattern':
      return `contact id matches ${p.valuePattern}`;
    case 'expectedP1':
      return p.expectedP1.length ? `p1 is one of ${p.expectedP1.join(', ')}` : 'any non-empty p1';
    case 'auth':
      return p.auth === 'access-key' ? 'token by the access-key endpoint' : 'token by the OAuth password grant of a registered app';
    case 'apiVersion':
      return `Signal API version ${p.apiVersion}`;
    case 'pathStyle':
      return `API path prefix /${p.pathStyle}/`;
    case 'hangsUp':
      return p.hangsUp === 'bot' ? 'the bot ends its leg after the Signal' : 'CXone ends the bot leg on ONSIGNAL';
    case 'topology':
      return describeTopology(p.topology);
    case 'placeCall': {
      const parts = [
        p.placeCall.requireTls ? 'the bot trunk uses SIP over TLS' : '',
        p.placeCall.e164 ? 'the PLACECALL number is E.164' : '',
        p.placeCall.mustMatch ? `the PLACECALL number is ${p.placeCall.mustMatch}` : '',
      ].filter(Boolean);
      return parts.length ? parts.join('; ') : 'no rule on the PLACECALL number';
    }
  }
}

/**
 * Every rule of a profile, in field order, with its source.
 * @returns one entry per field of {@link PROFILE_RULE_FIELDS}.
 */
export function profileRules(profile: VendorProfile): ProfileRule[] {
  return PROFILE_RULE_FIELDS.map((field) => {
    const source = sourceOf(profile, field);
    return { id: `${profile.id}.${field}`, field, rule: ruleText(profile, field), source, assumed: source.kind === 'assumed' };
  });
}
