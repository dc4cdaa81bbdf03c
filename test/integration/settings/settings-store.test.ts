// The settings store on a real SQLite file, with the keychain made unreachable (a D-Bus address
// that does not exist): non-secret settings are saved, validated field by field and kept across a
// reopen; a secret is refused with a message naming the setting (never the secret) and is stored
// nowhere — not in SQLite, not anywhere else.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CxoneConnectionInput } from '../../../src/shared/contract';
import { HistoryStore } from '../../../src/main/history/store';
import { CustomProfiles } from '../../../src/main/settings/custom-profiles';
import { SecretVault } from '../../../src/main/settings/secret-vault';
import { SecretNotStoredError, SettingsStore } from '../../../src/main/settings/settings-store';
import { getProfile } from '../../../src/main/profiles';

const SECRET = 'never-stored-secret-4d1f====';
const dir = mkdtempSync(join(tmpdir(), 'lab-settings-'));
const file = join(dir, 'history.db');
let history: HistoryStore;
let settings: SettingsStore;
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;

const conn: CxoneConnectionInput = {
  name: 'Tenant A',
  auth: 'access-key',
  area: 'na1',
  issuer: null,
  apiBase: null,
  apiVersion: 'v30.0',
  pathStyle: 'incontactapi',
  accessKeyId: 'AKID-123',
  clientId: null,
};

beforeAll(() => {
  process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/cxone-sip-lab-settings-test';
  history = HistoryStore.open(file);
  settings = new SettingsStore(history, new SecretVault(`cxone-sip-lab-test-${process.pid}`));
});
afterAll(() => {
  history?.close();
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
});

function dbBytesContain(text: string): boolean {
  return readdirSync(dir)
    .filter((f) => f.startsWith('history.db'))
    .some((f) => readFileSync(join(dir, f)).includes(text));
}

describe.skipIf(process.platform !== 'linux')('settings without a keychain', () => {
  it('says why secrets cannot be kept', async () => {
    const s = await settings.vault.status(true);
    expect(s).toMatchObject({ available: false, backend: null });
    expect(s.message).toMatch(/no keychain/);
    expect(s.message).toMatch(/nothing is saved in their place/);
  });

  it('saves a connection without its secret, refuses the secret and stores it nowhere', async () => {
    const err = await settings.saveConnection({ ...conn, accessKeySecret: SECRET }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretNotStoredError);
    expect((err as Error).message).toMatch(/connection "Tenant A" was saved, but not its secret/);
    expect((err as Error).message).not.toContain(SECRET);
    const [view] = await settings.connections();
    expect(view).toMatchObject({ name: 'Tenant A', area: 'na1', accessKeyId: 'AKID-123', accessKeySecretSet: false, clientSecretSet: false });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(dbBytesContain(SECRET)).toBe(false);
    expect(dbBytesContain('AKID-123')).toBe(true);
  });

  it('validates connections field by field', async () => {
    await expect(settings.saveConnection({ ...conn, area: 'north-america' })).rejects.toThrow(/area: must look like na1/);
    await expect(settings.saveConnection({ ...conn, area: null })).rejects.toThrow(/area: give the area \(e\.g\. na1\) or an API base URL/);
    await expect(settings.saveConnection({ ...conn, auth: 'oauth-password' })).rejects.toThrow(/issuer: OAuth needs the issuer[\s\S]*clientId: OAuth needs the client id/);
    await expect(settings.saveConnection({ ...conn, apiBase: 'ftp://x' })).rejects.toThrow(/apiBase: must be an http\(s\) URL/);
    await expect(settings.saveConnection({ ...conn, apiVersion: '30' })).rejects.toThrow(/apiVersion: must look like v30\.0/);
    await expect(settings.saveConnection({ ...conn, name: ' ' })).rejects.toThrow(/name/);
    expect(await settings.connections()).toHaveLength(1);
  });

  it('listeners: saved, validated, deleted', () => {
    const l = settings.saveListener({ transport: 'tcp', host: '0.0.0.0', port: 5070, advertiseHost: '203.0.113.7', profile: 'kore', enabled: true });
    expect(settings.listeners()).toEqual([l]);
    expect(() => settings.saveListener({ ...l, port: 70000 })).toThrow(/port/);
    expect(() => settings.saveListener({ ...l, host: 'a b' })).toThrow(/host: must be a host name or an IP address/);
    expect(() => settings.saveListener({ ...l, secret: 'x' })).toThrow(/Unrecognized key/i);
    expect(settings.deleteListener(l.id)).toBe(true);
    expect(settings.listeners()).toEqual([]);
  });

  it('trunks: default port, password refused without a keychain', async () => {
    const err = await settings
      .saveTrunk({ name: 'Carrier', host: 'sip.carrier.example', port: 0, transport: 'udp', domain: null, username: 'alice', register: true, password: SECRET })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretNotStoredError);
    const [t] = await settings.trunks();
    expect(t).toMatchObject({ name: 'Carrier', port: 5060, username: 'alice', register: true, passwordSet: false });
    expect(dbBytesContain(SECRET)).toBe(false);
    expect(await settings.deleteTrunk(t!.id)).toBe(true);
  });

  it('custom profiles: validated, built-ins protected, kept across a reopen', () => {
    const profiles = new CustomProfiles(history);
    const base = { ...getProfile('kore'), id: 'acme', name: 'ACME' };
    expect(profiles.save(base)).toMatchObject({ id: 'acme', builtin: false });
    expect(() => profiles.save({ ...base, id: 'kore' })).toThrow(/built-in profile and cannot be changed/);
    expect(() => profiles.save({ ...base, contactIdHeaders: ['x-lower'] })).toThrow(/contactIdHeaders\[0\]: must start with "X-"/);
    expect(() => profiles.delete('watson')).toThrow(/built-in/);
    expect(profiles.all().map((p) => p.id)).toEqual(['kore', 'synthflow', 'watson', 'polyai', 'custom', 'acme']);

    history.close();
    history = HistoryStore.open(file);
    settings = new SettingsStore(history, new SecretVault(`cxone-sip-lab-test-${process.pid}`));
    const again = new CustomProfiles(history);
    expect(again.get('acme').name).toBe('ACME');
    expect(again.delete('acme')).toBe(true);
    expect(again.all().map((p) => p.id)).not.toContain('acme');
  });

  it('settings survive a reopen; deleting a connection removes it', async () => {
    const [c] = await settings.connections();
    expect(c?.name).toBe('Tenant A');
    expect(await settings.deleteConnection(c!.id)).toBe(true);
    expect(await settings.connections()).toEqual([]);
    expect(await settings.deleteConnection(c!.id)).toBe(false);
  });
});
