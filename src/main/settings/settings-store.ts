/**
 * The dashboard's settings (issue 5 item 6): CXone connections, SIP listeners and trunks, kept as
 * non-secret JSON in the history database (`settings` table, migration 3), with their secrets in
 * the OS keychain only ({@link SecretVault}). What this returns to the renderer says whether each
 * secret is set, never its value.
 */
import { randomUUID } from 'node:crypto';
import type { CxoneConnectionInput, CxoneConnectionView, TrunkInput, TrunkView } from '../../shared/contract';
import type { HistoryStore } from '../history/store';
import {
  blankToNull,
  connectionInput,
  connectionStored,
  describeIssues,
  listenerInput,
  listenerSetting,
  trunkInput,
  trunkStored,
  type ConnectionStored,
  type ListenerStored,
  type TrunkStored,
} from './schemas';
import { secretAccount, type SecretField, type SecretVault } from './secret-vault';

/** A save whose non-secret part was stored but whose secret the keychain refused. */
export class SecretNotStoredError extends Error {
  override readonly name = 'SecretNotStoredError';
}

/** The secrets of a connection, read from the keychain for the client that signs in (null: not set). */
export interface ConnectionSecrets {
  accessKeySecret: string | null;
  clientSecret: string | null;
}

/** Settings over the history store and the keychain. */
export class SettingsStore {
  constructor(
    private readonly history: HistoryStore,
    readonly vault: SecretVault,
  ) {}

  /** Every connection, oldest first, with whether each secret is set. */
  async connections(): Promise<CxoneConnectionView[]> {
    return Promise.all(this.read('connection', connectionStored).map((c) => this.connectionView(c)));
  }

  /** One stored connection (no secret), or null. */
  connection(id: string): ConnectionStored | null {
    return this.read('connection', connectionStored).find((c) => c.id === id) ?? null;
  }

  /**
   * Saves a connection; its secrets go to the keychain.
   * @throws Error listing the bad fields (nothing saved); SecretNotStoredError when the connection
   *   was saved but the keychain refused a secret (that secret is stored nowhere).
   */
  async saveConnection(input: CxoneConnectionInput): Promise<CxoneConnectionView> {
    const parsed = connectionInput.safeParse(input);
    if (!parsed.success) throw new Error(describeIssues('connection', parsed.error));
    const i = parsed.data;
    const candidate = {
      id: i.id ?? randomUUID(),
      name: i.name.trim(),
      auth: i.auth,
      area: blankToNull(i.area)?.toLowerCase() ?? null,
      issuer: blankToNull(i.issuer),
      apiBase: blankToNull(i.apiBase),
      apiVersion: i.apiVersion.trim(),
      pathStyle: i.pathStyle,
      accessKeyId: i.accessKeyId.trim(),
      clientId: blankToNull(i.clientId),
    };
    const stored = connectionStored.safeParse(candidate);
    if (!stored.success) throw new Error(describeIssues('connection', stored.error));
    this.history.putSetting('connection', stored.data.id, stored.data);
    for (const field of i.clearSecrets ?? []) await this.vault.delete(secretAccount('connection', stored.data.id, field));
    await this.storeSecrets('connection', stored.data.id, stored.data.name, [
      ['accessKeySecret', i.accessKeySecret],
      ['clientSecret', i.clientSecret],
    ]);
    return this.connectionView(stored.data);
  }

  /** Deletes a connection and its secrets. @returns false when there was none. */
  async deleteConnection(id: string): Promise<boolean> {
    const existed = this.history.deleteSetting('connection', id);
    await this.vault.delete(secretAccount('connection', id, 'accessKeySecret'));
    await this.vault.delete(secretAccount('connection', id, 'clientSecret'));
    return existed;
  }

  /** The secrets of a connection, for the CXone client only. @throws KeychainError when the keychain cannot be read. */
  async connectionSecrets(id: string): Promise<ConnectionSecrets> {
    return {
      accessKeySecret: await this.vault.get(secretAccount('connection', id, 'accessKeySecret')),
      clientSecret: await this.vault.get(secretAccount('connection', id, 'clientSecret')),
    };
  }

  /** Every SIP listener of the settings, oldest first. */
  listeners(): ListenerStored[] {
    return this.read('listener', listenerSetting);
  }

  /** Saves a listener. @throws Error listing the bad fields. */
  saveListener(input: unknown): ListenerStored {
    const parsed = listenerInput.safeParse(input);
    if (!parsed.success) throw new Error(describeIssues('listener', parsed.error));
    const value: ListenerStored = { ...parsed.data, id: parsed.data.id ?? randomUUID() };
    this.history.putSetting('listener', value.id, value);
    return value;
  }

  /** Deletes a listener setting. @returns false when there was none. */
  deleteListener(id: string): boolean {
    return this.history.deleteSetting('listener', id);
  }

  /** Every trunk, oldest first, with whether its password is set. */
  async trunks(): Promise<TrunkView[]> {
    return Promise.all(this.read('trunk', trunkStored).map((t) => this.trunkView(t)));
  }

  /** One stored trunk (no password), or null. */
  trunk(id: string): TrunkStored | null {
    return this.read('trunk', trunkStored).find((t) => t.id === id) ?? null;
  }

  /** The digest password of a trunk, for the SIP layer only. @throws KeychainError */
  trunkPassword(id: string): Promise<string | null> {
    return this.vault.get(secretAccount('trunk', id, 'password'));
  }

  /**
   * Saves a trunk; its password goes to the keychain.
   * @throws Error listing the bad fields; SecretNotStoredError (see {@link saveConnection}).
   */
  async saveTrunk(input: TrunkInput): Promise<TrunkView> {
    const parsed = trunkInput.safeParse(input);
    if (!parsed.success) throw new Error(describeIssues('trunk', parsed.error));
    const i = parsed.data;
    const stored = trunkStored.safeParse({
      id: i.id ?? randomUUID(),
      name: i.name.trim(),
      host: i.host.trim(),
      port: i.port === 0 ? (i.transport === 'tls' ? 5061 : 5060) : i.port,
      transport: i.transport,
      domain: blankToNull(i.domain),
      username: blankToNull(i.username),
      register: i.register,
    });
    if (!stored.success) throw new Error(describeIssues('trunk', stored.error));
    this.history.putSetting('trunk', stored.data.id, stored.data);
    if (i.clearPassword) await this.vault.delete(secretAccount('trunk', stored.data.id, 'password'));
    await this.storeSecrets('trunk', stored.data.id, stored.data.name, [['password', i.password]]);
    return this.trunkView(stored.data);
  }

  /** Deletes a trunk and its password. @returns false when there was none. */
  async deleteTrunk(id: string): Promise<boolean> {
    const existed = this.history.deleteSetting('trunk', id);
    await this.vault.delete(secretAccount('trunk', id, 'password'));
    return existed;
  }

  private async storeSecrets(kind: 'connection' | 'trunk', id: string, name: string, fields: Array<[SecretField, string | undefined]>): Promise<void> {
    const refused: string[] = [];
    for (const [field, value] of fields) {
      if (value === undefined) continue;
      try {
        await this.vault.set(secretAccount(kind, id, field), value);
      } catch (e) {
        refused.push(`${field}: ${(e as Error).message}`);
      }
    }
    if (refused.length > 0) {
      throw new SecretNotStoredError(`${kind} "${name}" was saved, but not its secret (stored nowhere): ${refused.join('; ')}`);
    }
  }

  private async connectionView(c: ConnectionStored): Promise<CxoneConnectionView> {
    return {
      ...c,
      accessKeySecretSet: await this.vault.has(secretAccount('connection', c.id, 'accessKeySecret')),
      clientSecretSet: await this.vault.has(secretAccount('connection', c.id, 'clientSecret')),
    };
  }

  private async trunkView(t: TrunkStored): Promise<TrunkView> {
    return {
      ...t,
      passwordSet: await this.vault.has(secretAccount('trunk', t.id, 'password')),
      registration: this.trunkRegistration?.(t.id) ?? { state: 'off', error: null, expiresS: null },
    };
  }

  /** Where trunk views get their live REGISTER state (the Lab's call placer); none: `off`. */
  trunkRegistration?: (id: string) => TrunkView['registration'] | null;

  /** Stored settings of a kind that still pass their schema (a damaged or outdated row is skipped). */
  private read<T>(kind: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T[] {
    const out: T[] = [];
    for (const row of this.history.listSettings(kind)) {
      const r = schema.safeParse(row.value);
      if (r.success) out.push(r.data);
    }
    return out;
  }
}
