/**
 * The sip.js patch's parse shortcuts (patches/sip.js+*.patch, lib/grammar/grammar.js): the parser
 * built once, the per-(rule, text) memo handing out copies, and the placeholder memo for a Via's
 * branch and a From/To tag, and Call-ID's fast path. Each must give exactly what a fresh parse by
 * the generated grammar gives (same classes, same fields in the same order), for the RFC 4475
 * messages' lines and for generated header texts, also when asked twice and after a caller
 * mutated an earlier result.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Grammar } from 'sip.js';
import * as peg from 'sip.js/lib/grammar/pegjs/dist/grammar.js';
import { describe, expect, it } from 'vitest';

const CORPUS = path.resolve(process.cwd(), '../shared/corpus/rfc4475');
const RULES = ['Via', 'From', 'To', 'Contact', 'Call_ID', 'CSeq', 'Content_Length', 'Max_Forwards', 'Request_Response', 'SIP_URI', 'Name_Addr_Header', 'Record_Route', 'Content_Type', 'Require', 'Supported', 'Event'];

/** What the generated grammar itself returns (Grammar.parse's contract: the data, or -1). */
function fresh(input: string, rule: string): unknown {
  const o: { startRule: string; data?: unknown } = { startRule: rule };
  try {
    (peg.parse as (i: string, o: object) => unknown)(input, o);
  } catch {
    o.data = -1;
  }
  return o.data;
}

/** Classes, keys in order and values, as one comparable string. */
function shape(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  const proto = Object.getPrototypeOf(v) as { constructor?: { name: string } } | null;
  const name = Array.isArray(v) ? 'Array' : (proto?.constructor?.name ?? 'null');
  return `${name}{${Object.keys(v).map((k) => `${k}:${shape((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The RFC 4475 lines (every rule) and generated texts for the rules with shortcuts. */
function inputs(): { corpus: string[]; generated: string[] } {
  const out = new Set<string>();
  // Without ../shared/ beside the project (a bare clone) only the generated texts are checked.
  for (const f of existsSync(CORPUS) ? readdirSync(CORPUS) : []) {
    for (const line of readFileSync(path.join(CORPUS, f), 'latin1').split(/\r?\n/)) {
      out.add(line);
      const i = line.indexOf(':');
      if (i > 0) out.add(line.slice(i + 1).trim());
    }
  }
  const corpus = [...out];
  out.clear();
  const rnd = prng(7);
  const pick = (s: string): string => s[Math.floor(rnd() * s.length)]!;
  const TOKEN = "abcXYZ019!%'*+-.`_~";
  const ANY = `${TOKEN}@;="<>:/ \t,?()[]{}\\#$&|^zQ9pHx7kW`;
  const str = (n: number, alphabet: string): string => Array.from({ length: n }, () => pick(alphabet)).join('');
  const templates: ((v: string) => string)[] = [
    (v) => `SIP/2.0/UDP 127.0.0.1:5060;branch=${v};rport`,
    (v) => `SIP/2.0/UDP 127.0.0.1:5060;rport=5;received=1.2.3.4;branch=${v}`,
    (v) => `SIP/2.0/TCP h;BRANCH = ${v}`,
    (v) => `SIP/2.0/UDP h;x="a;branch=${v}"`,
    (v) => `SIP/2.0/UDP h;branch=${v};branch=b`,
    (v) => `SIP/2.0/UDP h;branch=${v},SIP/2.0/UDP g;branch=z9`,
    (v) => `"Bob" <sip:bob@x.com>;tag=${v}`,
    (v) => `<sip:x@h;tag=${v}>;tag=${v}`,
    (v) => `sip:a@b;tag=${v}`,
    (v) => `<sip:a@b>;TAG=${v};x=1`,
    (v) => `"tag=${v}" <sip:a@b>`,
    (v) => `<sip:a@b>;tag=${v}zQ9pHx7kW`,
    (v) => `${v}@127.0.0.1`,
    (v) => v,
  ];
  for (let i = 0; i < 3000; i++) {
    const value = rnd() < 0.7 ? str(1 + Math.floor(rnd() * 20), TOKEN) : str(1 + Math.floor(rnd() * 12), ANY);
    out.add(templates[Math.floor(rnd() * templates.length)]!(value));
  }
  return { corpus, generated: [...out] };
}
const SHORTCUT_RULES = ['Via', 'From', 'To', 'Call_ID', 'Name_Addr_Header', 'Contact'];

describe('sip.js grammar shortcuts (patch)', () => {
  it('give what a fresh parse gives, for every rule, twice, after callers mutated earlier results', () => {
    const { corpus, generated } = inputs();
    const cases = [...corpus.flatMap((input) => RULES.map((rule) => [input, rule] as const)), ...generated.flatMap((input) => SHORTCUT_RULES.map((rule) => [input, rule] as const))];
    const diffs: string[] = [];
    for (let round = 0; round < 2; round++) {
      {
        for (const [input, rule] of cases) {
          const got = Grammar.parse(input, rule) as unknown;
          const want = fresh(input, rule);
          if (shape(got) !== shape(want)) diffs.push(`${rule} ${JSON.stringify(input)}: ${shape(got)} ≠ ${shape(want)}`);
          // A caller mutating its copy must not change what the next caller gets.
          if (got && typeof got === 'object') {
            const o = got as { parameters?: Record<string, unknown>; uri?: { normal: { user: string } }; branch?: string };
            if (o.parameters) o.parameters.tag = 'MUTATED';
            if (o.uri) o.uri.normal.user = 'mutated';
            if ('branch' in o) o.branch = 'mutated';
          }
        }
      }
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  }, 60_000);

  it("the placeholder's token characters are exactly those the grammar takes in a branch and a tag", () => {
    const patchToken = /^[A-Za-z0-9!%'*+\-.`_~]$/;
    for (let c = 32; c < 127; c++) {
      const ch = String.fromCharCode(c);
      const via = fresh(`SIP/2.0/UDP h:5060;branch=a${ch}b;rport`, 'Via') as { branch?: string } | -1;
      const from = fresh(`<sip:x@h>;tag=a${ch}b`, 'From') as { parameters: { tag?: string } } | -1;
      expect([ch, via !== -1 && via.branch === `a${ch}b`]).toEqual([ch, patchToken.test(ch)]);
      expect([ch, from !== -1 && from.parameters.tag === `a${ch}b`]).toEqual([ch, patchToken.test(ch)]);
    }
  });
});
