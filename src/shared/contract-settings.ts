/**
 * The contract's part for the app header, the vendor profiles and the Settings screen (merged into
 * LAB_CONTRACT by contract.ts): connections, listeners and trunks. Secrets only travel renderer →
 * main inside a save request; what comes back says whether a secret is set, never its value.
 */
import { z } from 'zod';
import { byIdSchema, connectionInputSchema, listenerInputSchema, listenerSettingSchema, trunkInputSchema } from './contract-schemas';
import { method } from './contract-method';
import type { VendorProfile } from './profile';
import type { CheckResult, ListenerInfo, SipTransportKind } from './types';

/** Whether secrets can be kept: only in the OS keychain, never elsewhere (design.md §5). */
export interface KeychainStatus {
  available: boolean;
  /** e.g. `Secret Service`, `macOS Keychain`, `Windows Credential Manager`; null when unavailable. */
  backend: string | null;
  /** What to tell the user: where keys go, or why none can be stored. */
  message: string;
}

/** What the dashboard shows in its header. */
export interface AppInfo {
  version: string;
  /** `electron` or `browser`. */
  host: 'electron' | 'browser';
  /** Every SIP listener that is up: the built-in ones and those of the settings. */
  listeners: ListenerInfo[];
  /** Transports a call can be placed over (TLS once the SIP layer has it). */
  transports: SipTransportKind[];
  /** Base URL of the embedded CXone API (the emulator) that emulated calls signal. */
  cxoneApi: string;
  /** Where history is stored. */
  dbFile: string;
  keychain: KeychainStatus;
}

/** A vendor profile as listed: built-in ones are read-only, custom ones editable. */
export type ListedProfile = VendorProfile & { builtin: boolean };

/** A CXone connection (settings) as the renderer sees it: no secret, only whether each is set. */
export interface CxoneConnectionView {
  id: string;
  name: string;
  /** `access-key`: token from the area's auth host; `oauth-password`: the issuer's token endpoint with client id/secret + access key (cxone-reference.md §1a, §1b). */
  auth: 'access-key' | 'oauth-password';
  /** e.g. `na1` (access-key). */
  area: string | null;
  /** e.g. `https://cxone.niceincontact.com` (oauth-password). */
  issuer: string | null;
  /** API host override, e.g. `https://api-na1.niceincontact.com` or an emulator URL; null: derived from the area. */
  apiBase: string | null;
  apiVersion: string;
  pathStyle: 'incontactapi' | 'inContactAPI';
  accessKeyId: string;
  clientId: string | null;
  accessKeySecretSet: boolean;
  clientSecretSet: boolean;
}

/** A connection to save. Secrets are write-only: given to set, absent to keep, listed in `clearSecrets` to delete. */
export type CxoneConnectionInput = z.infer<typeof connectionInputSchema>;

/** The outcome of "test connection": a token, the API host, then GET server-time (cxone-reference.md §1c). No secret. */
export interface ConnectionTestResult {
  ok: boolean;
  /** One line: what worked, or the first failure. */
  message: string;
  /** `token`, `api-host`, `server-time`, in order; a failed step ends the list. */
  checks: CheckResult[];
}

/** A SIP listener of the settings (besides the built-in ones): bind `host`, `advertiseHost` (null: derived), the profile of its calls. */
export type SipListenerSetting = z.infer<typeof listenerSettingSchema>;

/** A listener of the settings with its live state. */
export type SipListenerView = SipListenerSetting & {
  status: 'listening' | 'stopped' | 'error';
  uri: string | null;
  error: string | null;
};

/** A SIP trunk (settings): where calls to numbers go, with digest credentials. */
export interface TrunkView {
  id: string;
  name: string;
  /** Proxy/registrar host and port. */
  host: string;
  port: number;
  transport: SipTransportKind;
  /** Domain of the Request-URI and From (`sip:<number>@<domain>`); null: `host`. */
  domain: string | null;
  username: string | null;
  register: boolean;
  passwordSet: boolean;
  /** REGISTER with the trunk (RFC 3261 §10): `off` when not asked for; `error` says why it failed. */
  registration: {
    state: 'off' | 'idle' | 'registering' | 'registered' | 'unregistering' | 'unregistered' | 'failed';
    error: string | null;
    /** Expiry granted (s) when registered. */
    expiresS: number | null;
  };
}

/** A trunk to save. The password is write-only (see {@link CxoneConnectionInput}). */
export type TrunkInput = z.infer<typeof trunkInputSchema>;

/** Everything on the Settings screen. */
export interface SettingsView {
  connections: CxoneConnectionView[];
  listeners: SipListenerView[];
  trunks: TrunkView[];
  keychain: KeychainStatus;
}

const byId = byIdSchema;

/** The app's and the profiles' methods. */
export const APP_METHODS = {
  'app/info': method<z.ZodNull, AppInfo>(z.null()),
  'profiles/list': method<z.ZodNull, ListedProfile[]>(z.null()),
  /** Saves a custom profile (validated by profiles/schema.ts in the handler, field by field); a built-in id is refused. */
  'profiles/save': method<z.ZodType<{ profile: VendorProfile }>, ListedProfile>(
    z.object({ profile: z.custom<VendorProfile>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a profile object') }).strict(),
  ),
  'profiles/delete': method<typeof byId, null>(byId),
};

/** The Settings screen's methods. */
export const SETTINGS_METHODS = {
  'settings/get': method<z.ZodNull, SettingsView>(z.null()),
  'settings/saveConnection': method<typeof connectionInputSchema, CxoneConnectionView>(connectionInputSchema),
  'settings/deleteConnection': method<typeof byId, null>(byId),
  'settings/testConnection': method<typeof byId, ConnectionTestResult>(byId),
  'settings/saveListener': method<typeof listenerInputSchema, SipListenerView>(listenerInputSchema),
  'settings/deleteListener': method<typeof byId, null>(byId),
  'settings/saveTrunk': method<typeof trunkInputSchema, TrunkView>(trunkInputSchema),
  'settings/deleteTrunk': method<typeof byId, null>(byId),
};
