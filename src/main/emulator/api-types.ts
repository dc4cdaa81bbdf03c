/**
 * Types shared by the CXone emulator's server ({@link CxoneEmulatorApi}) and its route files:
 * options, events, the request/reply/route shapes, and the context a route works with.
 *
 * @remarks design.md §2 (the emulator as the HTTP peer of the client); cxone-reference.md §1–§3.
 */
import type http from 'node:http';
import type { Stamp } from '../clock';
import type { SignalParams } from '../../shared/types';
import type { EmulatorReply } from './api-reply';
import type { ContactRegistry } from './contacts';
import type { FaultState } from './fault-state';
import type { EmulatorFault } from './faults';
import type { EmulatedTokenIssuer } from './jwt';

export type { EmulatorReply } from './api-reply';

/** A certificate and its key (PEM) to serve HTTPS with. */
export interface EmulatorTlsMaterial {
  certPem: string;
  keyPem: string;
}

/** Options of {@link CxoneEmulatorApi.start}. */
export interface CxoneEmulatorApiOptions {
  /** Address to bind, e.g. `127.0.0.1`. */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Access keys the token endpoints accept (access-key endpoint and OAuth password grant). */
  accessKeys: { accessKeyId: string; accessKeySecret: string }[];
  /** Registered back-end apps the OAuth token endpoint accepts (HTTP Basic client auth, §1b); default none. */
  oauthClients?: { clientId: string; clientSecret: string }[];
  /**
   * Client authentication methods the token endpoint accepts and discovery lists
   * (`token_endpoint_auth_methods_supported`); default both `client_secret_basic` and
   * `client_secret_post`, as NICE's discovery does [RC-AUTH].
   */
  tokenEndpointAuthMethods?: Array<'client_secret_basic' | 'client_secret_post'>;
  /** Lifetime of issued tokens (s); default 3600. */
  tokenTtlS?: number;
  /**
   * Status Signal answers for an active contact; default 202, a choice (assumed here: NICE documents
   * no status for Signal, only the FAQ's generic 200/202 rule [NICE-FAQ]). ONSIGNAL runs only on a 2xx.
   */
  signalStatus?: number;
  /** Tenant id put in the tokens; default a random UUID. */
  tenantId?: string;
  /** `api_endpoint` that `/.well-known/cxone-configuration` returns; default the emulator's own base URL. */
  apiEndpoint?: string;
  /**
   * Serve HTTPS: a certificate and key, or `'self-signed'` to generate one for `host`, `localhost`
   * and `127.0.0.1` (its PEM is then {@link CxoneEmulatorApi.certPem}). Default: plain HTTP.
   */
  tls?: EmulatorTlsMaterial | 'self-signed';
  /** Faults injected from the start (see `fault-state.ts` for what each does); default none. */
  faults?: EmulatorFault[];
  /**
   * Test hook: keep every request as received (headers and body, secrets included) in
   * {@link CxoneEmulatorApi.captured}, in memory only. Never enable it outside tests.
   */
  captureRequests?: boolean;
}

/** A token request as seen by the emulator (never the secret). */
export interface EmulatorTokenEvent {
  /** Which endpoint: the access-key one (§1a) or the OAuth password grant (§1b). */
  flow: 'access-key' | 'oauth-password';
  accessKeyId: string;
  /** The registered app's client id (OAuth only). */
  clientId?: string;
  ok: boolean;
  status: number;
  wallMs: number;
}

/** A Signal request as seen by the emulator, with what it led to. */
export interface EmulatorSignalEvent {
  contactId: string;
  params: SignalParams;
  status: number;
  /** e.g. "ONSIGNAL fired in the child contact's script", "no ONSIGNAL in that contact's script: nothing happens". */
  outcome: string;
  /** When the request was fully received (Unix ms / monotonic ms). */
  wallMs: number;
  monoMs: number;
}

/** A fault that acted on a request. */
export interface EmulatorFaultEvent {
  /** The fault's CLI spelling, e.g. `rate-limit:2`. */
  fault: string;
  /** Route name, e.g. `signal`. */
  route: string;
  /** What was done, e.g. "answered 429 with Retry-After: 2". */
  action: string;
  wallMs: number;
}

/** A contact ended through `POST /contacts/{id}/end`. */
export interface EmulatorContactEndEvent {
  contactId: string;
  wallMs: number;
}

/** Events of {@link CxoneEmulatorApi}. */
export interface EmulatorApiEvents {
  token: [EmulatorTokenEvent];
  signal: [EmulatorSignalEvent];
  fault: [EmulatorFaultEvent];
  'contact-end': [EmulatorContactEndEvent];
}

/** One received request, handed to a route. */
export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Captures of the route's pattern. */
  match: RegExpExecArray;
  /** When the request was fully received. */
  received: Stamp;
  /**
   * `http(s)://` + the request's Host header (when it is a plain `host[:port]`), else the
   * emulator's base URL: what discovery documents and token issuers name, so that a bot that
   * reached the emulator by another address than it bound (0.0.0.0, a LAN address) is sent back there.
   */
  origin: string;
}

/** An entry of the route table. */
export interface EmulatorRoute {
  name: string;
  method: 'GET' | 'POST';
  /** Matched against the path (no query). */
  pattern: RegExp;
  handle(req: EmulatorRequest): EmulatorReply;
}

/** What the route files work with: the emulator's state and helpers. */
export interface EmulatorContext {
  /** `http(s)://host:port` of the emulator. */
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly contacts: ContactRegistry;
  readonly tokens: EmulatedTokenIssuer;
  readonly faults: FaultState;
  readonly opts: CxoneEmulatorApiOptions;
  emit<K extends keyof EmulatorApiEvents>(event: K, ...args: EmulatorApiEvents[K]): boolean;
  /**
   * Checks `Authorization: Bearer <token>` (and the `unauthorized-first` fault).
   * @returns a 401 reply with the reason, or null when the token is valid.
   */
  bearer(r: EmulatorRequest, route: string): EmulatorReply | null;
}

/** Path prefix of every API route: `/incontactapi/services/vNN.0` (either spelling, case-insensitive). */
export const API_PREFIX = String.raw`^/incontactapi/services/v\d{1,3}\.0`;
