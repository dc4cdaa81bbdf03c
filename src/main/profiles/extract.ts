/**
 * Contact-id extraction and verification: which header of an INVITE the bot would read the CXone
 * ContactId (or MasterId) from under a vendor profile, and everything near it that would make the
 * handoff fail (design.md §1, §3).
 *
 * @remarks
 * - Header names: SIP says they are case-insensitive (RFC 3261 §7.3.5), but Kore's script and
 *   Synthflow compare them exactly [KORE], [SYN]; the profile's `headerCaseSensitive` decides.
 * - A header sent twice (SIPPUTHEADER run twice [H-PUT]) can be read only once: CXone's
 *   SIPGETHEADER gets one value [H-GET], and Kore's `headers.find` takes the first (seed
 *   000_d4ad4dad8823db79.txt). The first value is the one taken here, and a repeat is a warning
 *   naming it, not a failure: CXone allows putting a header more than once [H-PUT].
 * - A failure that rests on an assumed rule of the profile (its `sources` entry is `assumed`, e.g.
 *   Synthflow's header name or the numeric ContactId pattern) is a warning (issue 14).
 */
import type { ProfileRuleField, VendorProfile } from '../../shared/profile';
import { formatSource, isAssumed } from './sources';
import type { ContactIdNearMiss, ContactIdVerdict, SipHeader } from '../../shared/types';
import { isParseError, parseSipMessage } from '../sip/message';

/** A value like `{ContactId}`: a Studio variable reference that was sent literally. */
const STUDIO_VARIABLE = /\{[A-Za-z_][A-Za-z0-9_.]*\}/;

const quote = (s: string): string => JSON.stringify(s);

function compilePattern(source: string): RegExp | null {
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
}

/** The headers whose name the bot takes as `name`, in wire order. */
function matching(headers: readonly SipHeader[], name: string, caseSensitive: boolean): SipHeader[] {
  if (caseSensitive) return headers.filter((h) => h.name === name);
  const lower = name.toLowerCase();
  return headers.filter((h) => h.name.toLowerCase() === lower);
}

/** Levenshtein edit distance (insert, delete, substitute: cost 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Whether an X- header name looks like a misspelling of an expected one: within edit distance 2 of
 * it once both are lower-cased, or once both are also stripped of `-` and `_` (so
 * `X-External-Call-Id` matches `X-ExternalCallId`, `X-ContactIdd` matches `X-ContactID`). The
 * distance is 1 when the part after `X-` is shorter than 6 characters, so that short names such as
 * `X-EI` do not match everything. A case-only difference is not a misspelling (kind `case`).
 */
export function isSimilarHeaderName(received: string, expected: string): boolean {
  const a = received.toLowerCase();
  const b = expected.toLowerCase();
  if (a === b || !a.startsWith('x-')) return false;
  const na = a.replace(/[-_]/g, '');
  const nb = b.replace(/[-_]/g, '');
  const k = b.length - 2 >= 6 ? 2 : 1;
  return editDistance(a, b) <= k || editDistance(na, nb) <= k;
}

/** Near misses of kind `spelling`: X- headers that match no expected name but look like one. */
function spellingNearMisses(hs: readonly SipHeader[], expected: readonly string[]): ContactIdNearMiss[] {
  const lowerExpected = new Set(expected.map((n) => n.toLowerCase()));
  const out: ContactIdNearMiss[] = [];
  for (const h of hs) {
    if (lowerExpected.has(h.name.toLowerCase())) continue;
    const like = expected.find((e) => isSimilarHeaderName(h.name, e));
    if (like === undefined) continue;
    out.push({
      kind: 'spelling',
      header: h.name,
      value: h.value,
      detail: `header ${quote(h.name)} looks like a misspelling of ${quote(like)}; the bot looks for ${quote(like)}`,
    });
  }
  return out;
}

function xHeaderNames(headers: readonly SipHeader[]): string[] {
  return [...new Set(headers.filter((h) => /^x-/i.test(h.name)).map((h) => h.name))];
}

function absentProblem(headers: readonly SipHeader[], profile: VendorProfile, spelling: ContactIdNearMiss[]): string {
  const looked = profile.contactIdHeaders.map(quote).join(', ');
  const how = profile.headerCaseSensitive ? 'exact case' : 'any case';
  const arrived = xHeaderNames(headers);
  let s = `no contact-id header: looked for ${looked} (${how}); `;
  s +=
    arrived.length > 0
      ? `X- headers that arrived: ${arrived.join(', ')}`
      : 'no X- header arrived at all (check that SIPPUTHEADER runs before PLACECALL and that NICE enabled header ' +
        'pass-through on the trunk group [H-PUT])';
  if (spelling.length > 0) s += `; ${spelling.map((m) => m.detail).join('; ')}`;
  return s;
}

/**
 * Verifies the contact-id header of an INVITE (or of the final 2xx, the only other message that can
 * carry SIPPUTHEADER headers [H-PUT]) under a vendor profile.
 *
 * @param headers - the message's headers in wire order, names as received (`parseSipMessage`).
 * @param profile - the vendor profile; its `contactIdHeaders` are tried in order of preference.
 * @returns the verdict: `ok` only when a non-empty value was found, matches `valuePattern`, and no
 *   failure was seen; a failure built on an assumed rule goes to `warnings` instead and leaves `ok`
 *   true (issue 14), and a repeated header is a warning naming the value a bot reading the first gets. `header`/`value` are what the bot would read (null when it would read nothing,
 *   including an empty value). `patternOk` is null when there is no value to test, or when the
 *   profile's pattern does not compile (that is then a problem). Failures: header absent, case-only
 *   match under a case-sensitive profile, empty value, value not matching the pattern (an
 *   unsubstituted `{Variable}` is named as such), each a warning instead when built on an assumed
 *   rule. Near misses that are not failures: the header repeated (with equal values; with different
 *   values also a warning), a similarly spelt X- header, a case variant next to the exact one.
 *   Never throws.
 */
export function verifyContactId(headers: readonly SipHeader[], profile: VendorProfile): ContactIdVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  const nearMisses: ContactIdNearMiss[] = [];
  /** A failure built on these rules: a warning when any of them is assumed (issue 14). */
  const fail = (detail: string, ...fields: ProfileRuleField[]): void => {
    const srcs = fields.map((f) => profile.sources?.[f]);
    if (fields.length > 0 && isAssumed(...srcs)) warnings.push(`${detail} (a warning: built on ${srcs.map(formatSource).join(', ')})`);
    else problems.push(detail);
  };
  const caseSensitive = profile.headerCaseSensitive;
  const expected = profile.contactIdHeaders;
  const hs = headers.map((h) => ({ name: h.name, value: h.value.trim() }));
  const verdict = (header: string | null, value: string | null, patternOk: boolean | null): ContactIdVerdict => ({
    // An assumption-based finding never makes ok false (issue 14).
    ok: problems.length === 0 && (value !== null ? patternOk !== null : warnings.length > 0),
    profile: profile.id,
    header,
    value,
    expectedHeaders: [...expected],
    patternOk,
    problems,
    nearMisses,
    warnings,
  });

  // Case-only variants of every expected name (kind 'case'); failures only if nothing usable is found.
  const caseMisses: ContactIdNearMiss[] = [];
  if (caseSensitive) {
    const flagged = new Set<SipHeader>();
    for (const want of expected) {
      for (const h of matching(hs, want, false)) {
        if (expected.includes(h.name) || flagged.has(h)) continue;
        flagged.add(h);
        caseMisses.push({
          kind: 'case',
          header: h.name,
          value: h.value,
          detail:
            `header ${quote(h.name)} differs in case from ${quote(want)}; ${profile.name} matches the name exactly, ` +
            'so the bot will not find the contact id',
        });
      }
    }
  }
  const spelling = spellingNearMisses(hs, expected);

  const chosenName = expected.find((n) => matching(hs, n, caseSensitive).length > 0);
  if (chosenName === undefined) {
    nearMisses.push(...caseMisses, ...spelling);
    if (caseMisses.length > 0) for (const m of caseMisses) fail(m.detail, 'contactIdHeaders', 'headerCaseSensitive');
    else fail(absentProblem(hs, profile, spelling), 'contactIdHeaders');
    return verdict(null, null, null);
  }

  nearMisses.push(
    ...caseMisses.map((m) => ({ ...m, detail: `${m.detail} under that name (it reads ${quote(chosenName)})` })),
    ...spelling,
  );
  const found = matching(hs, chosenName, caseSensitive);
  const first = found[0]!;

  // Other names of the profile that also arrived, with another value.
  for (const other of expected) {
    if (other === chosenName) continue;
    for (const h of matching(hs, other, caseSensitive)) {
      if (h.value === first.value) continue;
      nearMisses.push({
        kind: 'spelling',
        header: h.name,
        value: h.value,
        detail:
          `${quote(h.name)} also arrived, with another value (${quote(h.value)}); the profile prefers ` +
          `${quote(chosenName)}, so ${quote(first.value)} is taken`,
      });
    }
  }

  if (found.length > 1) {
    const values = found.map((h) => h.value);
    const differ = values.some((v) => v !== first.value);
    const base =
      `header ${quote(chosenName)} arrived ${found.length} times` +
      (differ ? ` with different values (${values.map(quote).join(', ')})` : ' with the same value') +
      `; CXone allows putting a header more than once [H-PUT] and only one value can be read [H-GET]: a bot reading the first gets ${quote(first.value)}` +
      (differ ? ' (SIPPUTHEADER probably ran more than once)' : '');
    for (const h of found.slice(1)) nearMisses.push({ kind: 'repeated', header: h.name, value: h.value, detail: base });
    if (differ) warnings.push(base);
  }

  if (first.value === '') {
    const detail = `header ${quote(first.name)} is present but empty; the bot has no contact id to signal`;
    nearMisses.push({ kind: 'empty', header: first.name, value: '', detail });
    problems.push(detail);
    return verdict(null, null, null);
  }

  const re = compilePattern(profile.valuePattern);
  if (!re) {
    problems.push(`the profile's valuePattern ${quote(profile.valuePattern)} is not a valid regular expression`);
    return verdict(first.name, first.value, null);
  }
  const patternOk = re.test(first.value);
  if (!patternOk) {
    const variable = STUDIO_VARIABLE.exec(first.value)?.[0];
    const detail = variable
      ? `header ${quote(first.name)} carries ${quote(first.value)}: the Studio variable ${variable} was never ` +
        'substituted (check the variable name in the SIPPUTHEADER HeaderValue and that the script running it sets it)'
      : `header ${quote(first.name)} value ${quote(first.value)} does not match the pattern ${profile.valuePattern} ` +
        '(a CXone contact id is numeric)';
    nearMisses.push({ kind: 'pattern', header: first.name, value: first.value, detail });
    fail(detail, 'valuePattern');
  }
  return verdict(first.name, first.value, patternOk);
}

/**
 * Parses a raw SIP message and verifies its contact-id header (see {@link verifyContactId}).
 * @param rawInvite - the INVITE (or its final 2xx) exactly as received, CRLF line ends.
 * @param profile - the vendor profile.
 * @returns the verdict; an unparseable message gives `ok: false` with the parse problem, and a
 *   request other than INVITE or a non-2xx response gives `ok: false` because SIPPUTHEADER headers
 *   travel only on the initial INVITE and its final 2xx [H-PUT]. Never throws.
 */
export function verifyContactIdInRaw(rawInvite: string, profile: VendorProfile): ContactIdVerdict {
  const msg = parseSipMessage(rawInvite);
  if (isParseError(msg)) {
    return {
      ok: false,
      profile: profile.id,
      header: null,
      value: null,
      expectedHeaders: [...profile.contactIdHeaders],
      patternOk: null,
      problems: [`the message could not be parsed: ${msg.error}`],
      nearMisses: [],
      warnings: [],
    };
  }
  const v = verifyContactId(msg.headers, profile);
  let wrongKind: string | null = null;
  if (msg.kind === 'request' && msg.method !== 'INVITE') wrongKind = `this is a ${msg.method ?? '?'} request`;
  const status = msg.status ?? 0;
  if (msg.kind === 'response' && (status < 200 || status > 299)) wrongKind = `this is a ${status} response`;
  if (wrongKind) {
    v.problems.unshift(
      `${wrongKind}; CXone sends SIPPUTHEADER headers only on the initial INVITE and its final 2xx [H-PUT]`,
    );
    v.ok = false;
  }
  return v;
}
