/**
 * `SipRegistration`: REGISTER to a registrar (a trunk or PBX) from a {@link SipEndpoint}: bind our
 * Contact for an expiry, refresh it before it lapses, remove it on stop, and say clearly why a
 * registration failed (wrong password, 403, 404, no response, transport error).
 *
 * Built on sip.js's core (`UserAgentCore.register`: transactions, retransmissions, 401/407 digest
 * answers with the endpoint's credentials) rather than its `Registerer`, which in 0.21.2
 * mis-handles what a trunk may send: a 200 whose Contact has no `expires` parameter (only an
 * Expires header) makes its refresh timer NaN and re-REGISTERs in a tight loop; a 200 not listing
 * our Contact settles no promise nor delegate; and refresh outcomes are invisible.
 *
 * @remarks RFC 3261 §10.2 (constructing REGISTER: Request-URI = the registrar's domain, To = From
 * = the AOR, one Call-ID for all refreshes with increasing CSeq, §10.2.1.1 expiry via the Contact
 * `expires` parameter and Expires), §10.2.2 (removing bindings: expires=0), §10.2.4 (refreshing;
 * the 200 lists every binding with its expiry), §10.3 (registrar), §22 (digest).
 */
import { EventEmitter } from 'node:events';
import { type Core, UserAgent } from 'sip.js';
import type { SipMessageRecord } from '../../shared/types';
import { digestOutcome, type DigestOutcome } from './digest-outcome';
import type { SipEndpoint } from './endpoint';
import { headerValue, headerValues, isParseError, parseSipMessage, splitHeaderList } from './message';
import { ALLOW_HEADER } from './methods';
import type { SipLog } from './node-transport';
import { REGISTRATION_TRANSITIONS, type RegistrationState } from './registration-state';
import { checkMove } from './state-machine';

/** Where a registration is (diagram in registration-state.ts). */
export type { RegistrationState };

/** Options of a {@link SipRegistration}. */
export interface RegistrationOptions {
  /** Request-URI of the REGISTER: the registrar's domain, e.g. `sip:trunk.example` or `sip:10.0.0.5:5060`. */
  registrar: string;
  /** Address of record (To and From), e.g. `sip:alice@trunk.example`; default `sip:<digest user or endpoint user>@<registrar host>`. */
  aor?: string;
  /** Expiry asked for, in s (default 3600). */
  expiresS?: number;
  /** Refresh this long before the granted expiry (ms; default 30000), but never before half of it has passed. */
  refreshMarginMs?: number;
  /** Gives up on one REGISTER with no final response after this long (ms; default 40000, beyond Timer F). */
  timeoutMs?: number;
  log?: SipLog;
}

/** One binding the registrar listed in its 200 (RFC 3261 §10.3 step 8). */
export interface RegistrationBinding {
  /** The Contact value as sent, e.g. `<sip:lab@10.0.0.9:5070;transport=udp>;expires=3600`. */
  contact: string;
  /** Its `expires` parameter, or the response's Expires for all; null when neither. */
  expiresS: number | null;
  /** Whether it is our Contact (same user, host and port). */
  ours: boolean;
}

/** The outcome of one REGISTER (with its digest retry). */
export interface RegistrationResult {
  action: 'register' | 'refresh' | 'unregister';
  ok: boolean;
  /** Final status code; null when no response came. */
  status: number | null;
  /** The status line's reason, or what happened instead. */
  reason: string;
  /** Expiry granted to our binding (s); 0 after an unregister; null on failure. */
  expiresS: number | null;
  bindings: RegistrationBinding[];
  /** Why it failed, for the user; null when it worked. */
  error: string | null;
  /** Things to know even though it worked (e.g. our Contact missing from the bindings). */
  warnings: string[];
  auth: DigestOutcome;
  /** The wire records of this REGISTER and its retry. */
  messages: SipMessageRecord[];
}

/** Events of a {@link SipRegistration}: `result` after each REGISTER, `state` on each change. */
export type SipRegistrationEvents = { result: [result: RegistrationResult]; state: [next: RegistrationState] };

/** One registration of an endpoint with a registrar. */
export class SipRegistration extends EventEmitter<SipRegistrationEvents> {
  /** Every wire record of this registration's Call-ID, in order. */
  readonly messages: SipMessageRecord[] = [];
  /** The last result, or null before the first. */
  last: RegistrationResult | null = null;
  private _state: RegistrationState = 'idle';
  private readonly request: Core.OutgoingRequestMessage;
  private readonly ua: UserAgent;
  private readonly unwatch: () => void;
  private readonly log: SipLog;
  private refreshTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private sent = 0;
  private stopped = false;

  /**
   * @throws Error when the registrar or AOR is not a SIP URI.
   */
  constructor(
    endpoint: SipEndpoint,
    private readonly opts: RegistrationOptions,
  ) {
    super();
    this.ua = endpoint.userAgent;
    this.log = opts.log ?? (() => {});
    const registrar = UserAgent.makeURI(opts.registrar);
    if (!registrar) throw new Error(`registrar "${opts.registrar}": not a SIP URI (e.g. sip:trunk.example:5060)`);
    const user = this.ua.configuration.authorizationUsername || this.ua.configuration.uri.user || 'lab';
    const aorText = opts.aor ?? `sip:${user}@${registrar.host}`;
    const aor = UserAgent.makeURI(aorText);
    if (!aor) throw new Error(`address of record "${aorText}": not a SIP URI (e.g. sip:alice@trunk.example)`);
    this.request = this.ua.userAgentCore.makeOutgoingRequestMessage('REGISTER', registrar, aor, aor, {}, []);
    this.unwatch = endpoint.watchCallId(this.request.callId, (rec) => this.messages.push(rec));
  }

  /** Current state. */
  get state(): RegistrationState {
    return this._state;
  }

  /** SIP Call-ID shared by every REGISTER of this registration. */
  get callId(): string {
    return this.request.callId;
  }

  /**
   * Registers (or re-registers) our Contact; on success refreshes it before it expires until
   * {@link unregister} or {@link stop}. A refresh that fails leaves the state `failed` and is not
   * retried (listen to `result`).
   * @returns the outcome; never rejects (failures are in `error`).
   */
  register(): Promise<RegistrationResult> {
    return this.enqueue(() => this.send(this.last?.ok && this._state === 'registered' ? 'refresh' : 'register'));
  }

  /** Removes our binding (Contact `;expires=0`) and stops refreshing. @returns the outcome; never rejects. */
  unregister(): Promise<RegistrationResult> {
    this.clearRefresh();
    return this.enqueue(() => this.send('unregister'));
  }

  /**
   * Stops refreshing, removes the binding when registered, and stops following the Call-ID.
   * Idempotent; call it before stopping the endpoint.
   * @returns the unregister outcome, or null when there was nothing to remove.
   */
  async stop(): Promise<RegistrationResult | null> {
    if (this.stopped) return null;
    this.clearRefresh();
    let result: RegistrationResult | null = null;
    await this.queue;
    if (this._state === 'registered') result = await this.unregister();
    this.stopped = true;
    this.clearRefresh();
    this.unwatch();
    return result;
  }

  private enqueue(op: () => Promise<RegistrationResult>): Promise<RegistrationResult> {
    const next = this.queue.then(() => (this.stopped ? Promise.resolve(this.stoppedResult()) : op()));
    this.queue = next.catch(() => {});
    return next;
  }

  private send(action: RegistrationResult['action']): Promise<RegistrationResult> {
    const expiresS = action === 'unregister' ? 0 : (this.opts.expiresS ?? 3600);
    this.setState(action === 'unregister' ? 'unregistering' : 'registering');
    // RFC 3261 §10.2.4: same Call-ID, CSeq one higher. Credentials of the last exchange are dropped:
    // the registrar challenges again with a fresh nonce.
    if (this.sent++ > 0) this.request.cseq += 1;
    this.request.setHeader('cseq', `${this.request.cseq} REGISTER`);
    delete this.request.headers['Authorization'];
    delete this.request.headers['Proxy-Authorization'];
    this.request.extraHeaders = [`Contact: ${this.ua.contact.toString({ register: true })};expires=${expiresS}`, `Expires: ${expiresS}`, ALLOW_HEADER];
    const from = this.messages.length;
    const timeoutMs = this.opts.timeoutMs ?? 40_000;
    return new Promise<RegistrationResult>((resolve) => {
      let settled = false;
      const finish = (response: Core.IncomingResponseMessage | null, why?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // Let the record of the response (stamped at the socket) land first.
        setImmediate(() => {
          try {
            resolve(this.conclude(action, expiresS, response, this.messages.slice(from), why));
          } catch (e) {
            // A registrar's response we cannot read must not end the process: the REGISTER failed.
            const msg = e instanceof Error ? e.message : String(e);
            this.log('error', `REGISTER ${this.request.toURI.toString()}: reading the response failed: ${msg}`);
            this.setState('failed');
            resolve({ ...this.stoppedResult(), action, reason: 'unreadable response', error: `the registrar's response could not be read: ${msg}` });
          }
        });
      };
      const timer = setTimeout(() => finish(null, `no final response within ${timeoutMs} ms`), timeoutMs);
      try {
        this.ua.userAgentCore.register(this.request, {
          onAccept: (r) => finish(r.message),
          onReject: (r) => finish(r.message),
          onRedirect: (r) => finish(r.message),
        });
      } catch (e) {
        finish(null, `REGISTER not sent: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  private conclude(
    action: RegistrationResult['action'],
    askedS: number,
    response: Core.IncomingResponseMessage | null,
    messages: SipMessageRecord[],
    why?: string,
  ): RegistrationResult {
    const cfg = this.ua.configuration;
    const auth = digestOutcome(messages, 'REGISTER', { user: cfg.authorizationUsername || null, hadPassword: Boolean(cfg.authorizationPassword), peer: 'registrar' });
    const status = response?.statusCode ?? null;
    const onWire = status !== null && messages.some((m) => m.direction === 'in' && m.status === status);
    const target = this.request.getHeader('route') ?? this.request.ruri.toString();
    const result: RegistrationResult = {
      action,
      ok: false,
      status: onWire ? status : null,
      reason: response?.reasonPhrase ?? why ?? '',
      expiresS: null,
      bindings: [],
      error: null,
      warnings: [],
      auth,
      messages,
    };
    if (status !== null && status >= 200 && status < 300 && onWire) {
      const parsed = parseSipMessage(response?.data ?? '');
      const headers = isParseError(parsed) ? [] : parsed.headers;
      const allExpires = numberOrNull(headerValue(headers, 'expires'));
      result.bindings = headerValues(headers, 'contact')
        .flatMap(splitHeaderList)
        .map((contact) => ({ contact, expiresS: numberOrNull(contactParam(contact, 'expires')) ?? allExpires, ours: this.isOurs(contact) }));
      const ours = result.bindings.find((b) => b.ours);
      result.ok = true;
      if (action === 'unregister') {
        result.expiresS = 0;
        if (ours && ours.expiresS !== 0) result.warnings.push(`the registrar still lists our Contact after the unregister: ${ours.contact}`);
      } else {
        result.expiresS = ours?.expiresS ?? allExpires ?? askedS;
        if (!ours) result.warnings.push(`the registrar's 200 does not list our Contact ${this.ua.contact.toString({ register: true })}; assuming ${result.expiresS} s`);
      }
    } else if (auth.problem) {
      result.error = auth.problem;
    } else if (status === null || !onWire) {
      result.error =
        status === 503 || why?.startsWith('REGISTER not sent')
          ? `could not send the REGISTER to ${target} (transport error: connection refused or unreachable)`
          : `no response from the registrar ${target} (${status === 408 ? 'timeout' : (why ?? 'no final response')})`;
    } else if (status === 404) {
      result.error = `the registrar does not know the address of record ${this.request.toURI.toString()} (404 ${result.reason}): check the user name and domain`;
    } else {
      result.error = `the registrar refused the REGISTER with ${status} ${result.reason}`;
    }
    this.last = result;
    if (result.ok && action !== 'unregister') {
      this.setState('registered');
      this.scheduleRefresh(result.expiresS ?? askedS);
    } else {
      this.clearRefresh();
      this.setState(result.ok ? 'unregistered' : 'failed');
    }
    if (result.error) this.log('warn', `REGISTER ${this.request.toURI.toString()}: ${result.error}`);
    else this.log('info', `REGISTER ${this.request.toURI.toString()}: ${action} ok, expires ${result.expiresS} s`);
    try {
      this.emit('result', result);
    } catch (e) {
      this.log('error', `a registration 'result' listener threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    return result;
  }

  private scheduleRefresh(expiresS: number): void {
    this.clearRefresh();
    if (expiresS <= 0 || this.stopped) return;
    const ms = expiresS * 1000;
    const delay = Math.max(ms / 2, ms - (this.opts.refreshMarginMs ?? 30_000));
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.register();
    }, delay);
  }

  private clearRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private isOurs(contact: string): boolean {
    const inner = /<([^>]*)>/.exec(contact)?.[1] ?? contact.split(';')[0] ?? '';
    const uri = UserAgent.makeURI(inner.trim());
    const mine = this.ua.contact.uri;
    if (!uri) return false;
    return uri.user === mine.user && uri.host.toLowerCase() === mine.host.toLowerCase() && (uri.port ?? 5060) === (mine.port ?? 5060);
  }

  private setState(next: RegistrationState): void {
    if (next === this._state) return;
    checkMove('registration', REGISTRATION_TRANSITIONS, this._state, next, this.log);
    this._state = next;
    try {
      this.emit('state', next);
    } catch (e) {
      this.log('error', `a registration 'state' listener threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private stoppedResult(): RegistrationResult {
    const auth = digestOutcome([], 'REGISTER', { user: null, hadPassword: false });
    return { action: 'register', ok: false, status: null, reason: 'stopped', expiresS: null, bindings: [], error: 'the registration is stopped', warnings: [], auth, messages: [] };
  }
}

/** A Contact's header parameter (after the `>` of a name-addr), e.g. `expires`. */
function contactParam(contact: string, name: string): string | undefined {
  const semi = contact.indexOf(';');
  const params = contact.includes('>') ? contact.slice(contact.lastIndexOf('>') + 1) : semi < 0 ? '' : contact.slice(semi);
  return new RegExp(`;\\s*${name}\\s*=\\s*"?([^;"\\s]+)`, 'i').exec(params)?.[1];
}

function numberOrNull(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v.trim())) return null;
  return Number(v.trim());
}
