/**
 * The test case file (issue 13 item 1; design.md §8), as zod schemas: the source of the case's
 * types, of the validation with precise paths (load.ts turns them into file:line errors), and of
 * the JSON Schema `lab test --schema` prints for editors.
 *
 * A case is a profile, a mode and ordered steps. Each step is a one-key mapping
 * (`- say: "text"`, `- expect_signal: { within: 10s }`) or a bare word for steps without
 * arguments (`- hangup`), with an optional `name`. Step arguments are validated per kind
 * ({@link STEP_ARG_SCHEMAS}); the allowed kinds depend on the mode ({@link stepsAllowedIn}).
 */
import { z } from 'zod';
import { SIGNAL_PARAM_NAMES } from '../../shared/types';
import { DURATION_PATTERN, parseDuration } from './duration';

/** A duration: `"800ms"`, `"5s"`, `"2m"` or a number of ms; parsed to ms. */
const DURATION_WORDS = 'expected a duration such as "800ms", "5s", "2m" or a number of ms';
export const durationSchema = z
  .union([z.number({ error: DURATION_WORDS }).nonnegative({ error: DURATION_WORDS }), z.string({ error: DURATION_WORDS }).regex(DURATION_PATTERN, { error: DURATION_WORDS })], {
    error: DURATION_WORDS,
  })
  .transform((v) => parseDuration(v))
  .meta({ description: 'a duration: "800ms", "5s", "2m" or a number of milliseconds' });

/** A Signal parameter value: a string (numbers are accepted and written as strings). */
const paramValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

/** p1..p9 (only those names), each a string. */
export const signalParamsSchema = z.strictObject(
  Object.fromEntries(SIGNAL_PARAM_NAMES.map((p) => [p, paramValue.optional()])) as Record<
    (typeof SIGNAL_PARAM_NAMES)[number],
    z.ZodOptional<typeof paramValue>
  >,
);

const DTMF_DIGITS = /^[0-9*#A-Da-d]+$/;
const digits = z.string().regex(DTMF_DIGITS, { error: 'DTMF digits are 0-9, *, #, A-D' });

/** The arguments of each step kind (the value under the step's key). */
export const STEP_ARG_SCHEMAS = {
  /** The far end starts talking (voice activity on the decoded RTP) within `within`. */
  expect_speech: z.strictObject({ within: durationSchema.default(10_000) }).nullish(),
  /** The far end has been silent for `for` (its turn is over), waiting at most `within`. */
  wait_silence: z.strictObject({ for: durationSchema.default(700), within: durationSchema.default(20_000) }).nullish(),
  /** Offline text-to-speech of the text, sent as RTP. */
  say: z.union([z.string().min(1), z.strictObject({ text: z.string().min(1) })]),
  /** A WAV file (any rate; resampled to 8 kHz), relative to the case file. */
  play: z.union([z.string().min(1), z.strictObject({ file: z.string().min(1) })]),
  /** DTMF digits: RFC 4733 telephone-events by default, or SIP INFO. */
  dtmf: z.union([
    digits,
    z.strictObject({
      digits,
      method: z.enum(['rfc4733', 'info']).default('rfc4733'),
      duration: durationSchema.optional(),
      gap: durationSchema.optional(),
    }),
  ]),
  /** The bot's Signal reaches the emulated CXone API within `within`, with these p1..p9 (a subset match). */
  expect_signal: z
    .strictObject({
      within: durationSchema.default(10_000),
      params: signalParamsSchema.optional(),
      /** `onsignal` (default): the Signal must name the contact whose script has ONSIGNAL; `any`: either leg. */
      leg: z.enum(['onsignal', 'any']).default('onsignal'),
      /** The emulated API's answer the Signal must get: `2xx` (accepted), `any` (default), or a status. */
      status: z.union([z.literal('2xx'), z.literal('any'), z.number().int().min(0).max(599)]).default('any'),
    })
    .nullish(),
  /** No Signal reaches the emulated API during `for`. */
  expect_no_signal: z.strictObject({ for: durationSchema }),
  /** The far end ends the call (BYE) within `within`. */
  expect_hangup: z
    .strictObject({
      within: durationSchema.default(10_000),
      /** Who must end it: `remote` (the far end's BYE), `local` (the emulated CXone dropping the bot leg), `any` (default). */
      by: z.enum(['remote', 'local', 'any']).default('any'),
    })
    .nullish(),
  /** The call stays up for `for` (e.g. the leg is not dropped: the no-leg-drop fault). */
  expect_no_hangup: z.strictObject({ for: durationSchema }),
  /** We end the call (BYE, or CANCEL before the answer). */
  hangup: z.union([z.null(), z.strictObject({})]),
  /** Do nothing for a while (media keeps flowing). */
  wait: durationSchema,
  /** answer mode: these digits arrive from the caller (RFC 4733 or SIP INFO) within `within`. */
  expect_dtmf: z.union([digits, z.strictObject({ digits, within: durationSchema.default(10_000) })]),
  /** answer mode: the bot sends the Signal with these p1..p9 to the configured CXone API. */
  signal: signalParamsSchema,
  /** answer mode: the INVITE carries this header (`value`: exact; `pattern`: a regular expression; `absent: true`: must not). */
  expect_header: z.strictObject({
    name: z.string().min(1),
    value: z.string().optional(),
    pattern: z.string().optional(),
    absent: z.boolean().optional(),
    /** Match the name with exact case (Kore's and Synthflow's bots do). Default false (RFC 3261 §7.3.5). */
    exact_case: z.boolean().optional(),
  }),
} as const;

/** A step kind. */
export type StepKind = keyof typeof STEP_ARG_SCHEMAS;
/** Every step kind, in documentation order. */
export const STEP_KINDS = Object.keys(STEP_ARG_SCHEMAS) as StepKind[];
/** Kinds that may be written as a bare word (`- hangup`). */
export const BARE_STEP_KINDS: readonly StepKind[] = ['hangup', 'expect_speech', 'wait_silence', 'expect_signal', 'expect_hangup'];

/** The parsed arguments of a step kind. */
export type StepArgs<K extends StepKind> = z.output<(typeof STEP_ARG_SCHEMAS)[K]>;

/** One parsed step: its kind, its arguments, an optional display name, and its index in the case. */
export type CaseStep = { [K in StepKind]: { kind: K; args: StepArgs<K>; name?: string; index: number } }[StepKind];

/** The four modes (design.md §2 and §8). */
export const CASE_MODES = ['embedded', 'emulate', 'answer', 'call'] as const;
/** How a case runs. */
export type CaseMode = (typeof CASE_MODES)[number];

const CALLER_STEPS: readonly StepKind[] = ['expect_speech', 'wait_silence', 'say', 'play', 'dtmf', 'expect_signal', 'expect_no_signal', 'expect_hangup', 'expect_no_hangup', 'hangup', 'wait', 'expect_dtmf'];
const BOT_STEPS: readonly StepKind[] = ['say', 'play', 'dtmf', 'expect_speech', 'wait_silence', 'expect_dtmf', 'signal', 'expect_hangup', 'expect_no_hangup', 'hangup', 'wait', 'expect_header'];

/**
 * The step kinds a mode understands: the caller's side in embedded, emulate and call (call mode
 * serves no CXone API, so no Signal expectations); the bot's side in answer.
 */
export function stepsAllowedIn(mode: CaseMode): readonly StepKind[] {
  if (mode === 'answer') return BOT_STEPS;
  if (mode === 'call') return CALLER_STEPS.filter((k) => k !== 'expect_signal' && k !== 'expect_no_signal');
  return CALLER_STEPS;
}

const hostPort = z.string().regex(/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/, { error: 'expected host:port, e.g. 127.0.0.1:8088' });

/** `sip:` of a case. */
export const caseSipSchema = z.strictObject({
  /** emulate, call: the SIP URI of the bot or number to call. */
  target: z.string().regex(/^sips?:\S+$/i, { error: 'expected a SIP URI such as sip:bot@10.0.0.5:5060' }).optional(),
  transport: z.enum(['udp', 'tcp', 'tls']).optional(),
  /** answer: where to listen, `<udp|tcp|tls>:<host>:<port>`. */
  listen: z.string().regex(/^(udp|tcp|tls):(\[[^\]]+\]|[^:]+):\d{1,5}$/i, { error: 'expected <udp|tcp|tls>:<host>:<port>, e.g. udp:0.0.0.0:5060' }).optional(),
  /** Our SIP address (bind host) in emulate and call; default 127.0.0.1 for a loopback target, else 0.0.0.0. */
  host: z.string().optional(),
  /** The address written in Via/Contact/SDP when it differs from the bind host. */
  advertise: z.string().optional(),
  /** call: extra headers of the INVITE (e.g. the contact-id header as CXone would put it). */
  headers: z.record(z.string(), z.string()).optional(),
  /** call: digest credentials; put the password as `${keychain:account}` or `${env:NAME}`. */
  username: z.string().optional(),
  password: z.string().optional(),
  /** call: outbound proxy (`sip:proxy:5060` or host[:port]). */
  outbound_proxy: z.string().optional(),
  /** call: From URI (a trunk account's AOR). */
  from: z.string().optional(),
  /** TLS: extra CAs trusted for the peer's certificate (PEM file, relative to the case). */
  ca_file: z.string().optional(),
  /** answer over TLS: the listener's certificate and key (PEM files); without them a self-signed one is made. */
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
});

/** `cxone:` of a case. */
export const caseCxoneSchema = z.strictObject({
  /** emulate: where the emulated CXone API listens (the bot is configured with it). */
  api_listen: hostPort.optional(),
  /** emulate: serve HTTPS with a generated certificate. */
  https: z.boolean().optional(),
  /** emulate: the credentials the emulated API accepts; answer: the access key the bot uses. */
  access_key_id: z.string().optional(),
  access_key_secret: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  /** answer: where the bot's Signal goes: `embedded` (default), `discover`, or an API base URL. */
  api: z.string().optional(),
  /** answer: the access-key token host (default from the API host). */
  auth: z.string().optional(),
  /**
   * embedded/emulate: the CXone script topology over the profile's (issue 14; profiles/topology.ts):
   * `kind` single | main-spawn | parent-child, whose id the header holds, which script waits in ONSIGNAL.
   */
  topology: z
    .strictObject({
      kind: z.enum(['single', 'main-spawn', 'parent-child']).optional(),
      header_holds: z.enum(['main', 'placer']).optional(),
      onsignal_in: z.enum(['main', 'placer']).optional(),
    })
    .optional(),
});

/** `bot:` of an embedded case: how the reference bot converses (scenarios/bot-conversation.ts). */
export const caseBotSchema = z.strictObject({
  /** Text the bot says first (offline TTS), a WAV path (relative to the case), or null for none. */
  greeting: z.string().nullable().optional(),
  /** p1..p9 to signal when the caller keys a digit string, by digits (e.g. "2": { p1: AgentHandoff }). */
  on_dtmf: z.record(z.string().regex(DTMF_DIGITS), signalParamsSchema).optional(),
  /** p1..p9 to signal after the caller spoke a turn. */
  on_speech: signalParamsSchema.optional(),
  /** Signal only after both a listed digit and a spoken turn. */
  require_both: z.boolean().optional(),
  /** How long the caller's silence ends their turn. Default 700ms. */
  silent_for: durationSchema.optional(),
  /** How long the bot listens after its greeting. Default 15s. */
  listen_for: durationSchema.optional(),
  /** What the bot does when it heard nothing: p1..p9 to signal, or "hangup" (BYE → ONRELEASE). */
  on_no_input: z.union([z.literal('hangup'), signalParamsSchema]).optional(),
  /** Wait between deciding and signalling. */
  signal_after: durationSchema.optional(),
  /** p1..p9 the bot signals at once, without listening (the classic automatic handoff, when no on_* is given). */
  signal: signalParamsSchema.optional(),
});

/** Latency budgets: each a maximum. */
export const caseBudgetsSchema = z.strictObject({
  /** 200 OK → the far end's first voice, seen by the caller (design.md §4 answer_to_first_voice). */
  time_to_greeting: durationSchema.optional(),
  /** The bot's token request (ms). */
  token: durationSchema.optional(),
  /** The Signal's HTTP exchange (ms). */
  signal_http: durationSchema.optional(),
  /** Signal → BYE on the bot leg (ms). */
  signal_to_bye: durationSchema.optional(),
});

/** `expect:` of a case: case-level expectations. */
export const caseExpectSchema = z.strictObject({
  /** The contact-id verdict expected: `pass` (default) or `fail` (a case that shows a broken header). */
  contact_id: z
    .preprocess((v) => (v === true || v === 'ok' ? 'pass' : v === false ? 'fail' : v), z.enum(['pass', 'fail', 'any']))
    .default('pass'),
  /** What the emulated CXone script ends with (embedded, emulate): REQAGENT, HANGUP, ONRELEASE-transfer, none. */
  outcome: z.enum(['REQAGENT', 'HANGUP', 'ONRELEASE-transfer', 'none', 'any']).default('any'),
  budgets: caseBudgetsSchema.optional(),
});

/** `vad:` of a case: the far-end speech detector. */
export const caseVadSchema = z.strictObject({
  /** Frame RMS at or above which a 20 ms frame is speech (dBFS). Default −40 (media/vad.ts). */
  threshold_dbfs: z.number().max(0).optional(),
  /** Speech that must last this long to count as an onset. Default 60ms. */
  min_speech: durationSchema.optional(),
  /** Non-speech that must last this long to end a segment. Default 200ms. */
  hangover: durationSchema.optional(),
});

/** The raw step as written: an object with one step key (+ `name`), or a bare step word. */
const rawStepForSchema = z.union([
  z.enum(BARE_STEP_KINDS as [StepKind, ...StepKind[]]),
  ...STEP_KINDS.map((k) =>
    z.strictObject({ [k]: STEP_ARG_SCHEMAS[k], name: z.string().optional() } as Record<string, z.ZodType>),
  ),
]);

/** The case's top-level fields, with `steps` checked separately (see {@link parseSteps}). */
export const caseHeadSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** A vendor profile id (kore, synthflow, watson, polyai, custom, or a custom profile's id). */
  profile: z.string().min(1).default('kore'),
  mode: z.enum(CASE_MODES).default('embedded'),
  /** Shorthand of sip.transport. */
  transport: z.enum(['udp', 'tcp', 'tls']).optional(),
  sip: caseSipSchema.optional(),
  cxone: caseCxoneSchema.optional(),
  bot: caseBotSchema.optional(),
  /** Faults the emulated CXone API injects (embedded, emulate): `server-error:503`, `no-leg-drop`… (emulator/faults.ts). */
  faults: z.array(z.string()).optional(),
  vad: caseVadSchema.optional(),
  expect: caseExpectSchema.optional(),
  /** Longest the whole case may take. Default 60s. */
  timeout: durationSchema.default(60_000),
  /** Runs a failed case again up to this many times (a real bot's flaky speech recognition); the last attempt is reported. */
  retries: z.number().int().min(0).max(5).default(0),
  /** Variables usable as `${name}` in string values (overridden by a suite's matrix and --var). */
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  steps: z.array(z.unknown()).min(1, { error: 'a case needs at least one step' }),
});

/** The case file as an editor sees it (for the JSON Schema). */
export const caseFileSchema = caseHeadSchema.extend({ steps: z.array(rawStepForSchema).min(1) });

/** A parsed, validated case (steps parsed). */
export type TestCase = Omit<z.output<typeof caseHeadSchema>, 'steps'> & { steps: CaseStep[] };

/** `suite.yaml`: a list of cases (paths relative to it) and a matrix of variables. */
export const suiteFileSchema = z.strictObject({
  name: z.string().optional(),
  /** Case files or folders, relative to suite.yaml; default: every case file of the folder in name order. */
  cases: z.array(z.string().min(1)).optional(),
  /** Variables for every case. */
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  /** Each combination of these values runs every case once (e.g. profile × transport). */
  matrix: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).min(1)).optional(),
});

/** A parsed suite.yaml. */
export type SuiteFile = z.output<typeof suiteFileSchema>;

/** One problem of a step list, with its path below `steps`. */
export interface StepProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Parses the raw steps of a case: each is a bare word or a mapping with exactly one step key and
 * an optional `name`; the arguments are validated by that kind's schema; the kind must be one the
 * mode understands.
 * @returns the steps, or the problems (paths start with the step's index).
 */
export function parseSteps(raw: unknown[], mode: CaseMode): { steps: CaseStep[]; problems: StepProblem[] } {
  const steps: CaseStep[] = [];
  const problems: StepProblem[] = [];
  const allowed = stepsAllowedIn(mode);
  raw.forEach((item, index) => {
    let key: string;
    let value: unknown;
    let name: string | undefined;
    if (typeof item === 'string') {
      key = item;
      value = null;
      if (!(BARE_STEP_KINDS as readonly string[]).includes(key)) {
        const hint = (STEP_KINDS as readonly string[]).includes(key) ? ` ("${key}" needs arguments: ${key}: …)` : '';
        problems.push({ path: [index], message: `"${key}" is not a step${hint}; steps: ${STEP_KINDS.join(', ')}` });
        return;
      }
    } else if (item && typeof item === 'object' && !Array.isArray(item)) {
      const rec = item as Record<string, unknown>;
      const keys = Object.keys(rec).filter((k) => k !== 'name');
      if ('name' in rec && typeof rec.name !== 'string') problems.push({ path: [index, 'name'], message: 'a step name is a string' });
      name = typeof rec.name === 'string' ? rec.name : undefined;
      if (keys.length !== 1) {
        problems.push({ path: [index], message: keys.length === 0 ? 'a step needs one step key' : `a step has one step key, found ${keys.join(', ')}` });
        return;
      }
      key = keys[0]!;
      value = rec[key];
    } else {
      problems.push({ path: [index], message: `a step is a mapping like "say: hello" or a word like "hangup"; steps: ${STEP_KINDS.join(', ')}` });
      return;
    }
    if (!(STEP_KINDS as readonly string[]).includes(key)) {
      problems.push({ path: typeof item === 'string' ? [index] : [index, key], message: `unknown step "${key}"; steps: ${STEP_KINDS.join(', ')}` });
      return;
    }
    const kind = key as StepKind;
    if (!allowed.includes(kind)) {
      problems.push({
        path: typeof item === 'string' ? [index] : [index, key],
        message: `"${kind}" is not a step of ${mode} mode; ${mode} mode understands: ${allowed.join(', ')}`,
      });
      return;
    }
    const r = STEP_ARG_SCHEMAS[kind].safeParse(value);
    if (!r.success) {
      for (const iss of r.error.issues) {
        problems.push({ path: typeof item === 'string' ? [index] : [index, key, ...(iss.path as (string | number)[])], message: `${kind}: ${iss.message}` });
      }
      return;
    }
    steps.push({ kind, args: r.data, index, ...(name !== undefined ? { name } : {}) } as CaseStep);
  });
  return { steps, problems };
}

/**
 * The JSON Schema of a case file (draft 2020-12), for editors (`lab test --schema`): the input
 * side (durations as strings or numbers, defaults shown).
 */
export function caseJsonSchema(): Record<string, unknown> {
  const s = z.toJSONSchema(caseFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...s, $id: 'https://cxone-sip-lab.local/schemas/test-case.json', title: 'CXone SIP Lab test case' };
}
