import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispatch, isLabMethod } from '../../../src/main/host/dispatch';
import { validatePayload } from '../../../src/main/host/payload-schemas';
import { version } from '../../../src/main/version';
import { LAB_METHODS, type LabHandlers } from '../../../src/shared/contract';

describe('payload validation', () => {
  it('accepts the contract shapes', () => {
    expect(validatePayload('signals/send', { callRef: 'c', params: { p1: 'a', p9: 'b' } }).ok).toBe(true);
    expect(validatePayload('calls/place', { target: '', profile: 'kore', transport: 'udp', headers: null, trunkId: null, botSignals: false }).ok).toBe(true);
    expect(validatePayload('app/info', null).ok).toBe(true);
  });
  it('refuses p10, unknown fields and wrong types, naming the field', () => {
    const r = validatePayload('signals/send', { callRef: 'c', params: { p10: 'x' } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/params/);
    const t = validatePayload('calls/place', { target: '', profile: 'kore', transport: 'sctp', headers: null, trunkId: null, botSignals: false });
    expect(!t.ok && t.error).toMatch(/transport/);
  });
});

describe('payload validation of the dashboard methods', () => {
  it('history/search: fields, page bounds', () => {
    const q = { field: 'contactId', text: '123', verdict: 'any', offset: 0, limit: 200 };
    expect(validatePayload('history/search', q).ok).toBe(true);
    expect(validatePayload('history/search', { ...q, limit: 5000 }).ok).toBe(false);
    expect(validatePayload('history/search', { ...q, field: 'sql' }).ok).toBe(false);
    expect(validatePayload('history/search', { ...q, fromWallMs: Number.NaN }).ok).toBe(false);
  });
  it('calls/place: TLS allowed, headers bounded', () => {
    const p = { target: 'sip:bot@10.0.0.5', profile: 'kore', transport: 'tls', headers: [{ name: 'X-A', value: '1' }], trunkId: null, botSignals: false };
    expect(validatePayload('calls/place', p).ok).toBe(true);
    expect(validatePayload('calls/place', { ...p, headers: Array(33).fill({ name: 'X-A', value: '1' }) }).ok).toBe(false);
  });
  it('settings/saveConnection: unknown fields refused; a bad secret is named, never echoed', () => {
    const c = { name: 'n', auth: 'access-key', area: 'na1', issuer: null, apiBase: null, apiVersion: 'v30.0', pathStyle: 'incontactapi', accessKeyId: 'id', clientId: null };
    expect(validatePayload('settings/saveConnection', { ...c, accessKeySecret: 's3cret' }).ok).toBe(true);
    expect(validatePayload('settings/saveConnection', { ...c, password: 'x' }).ok).toBe(false);
    const bad = validatePayload('settings/saveConnection', { ...c, accessKeySecret: 'top-secret\nvalue' });
    expect(!bad.ok && bad.error).toMatch(/accessKeySecret/);
    expect(!bad.ok && bad.error).not.toContain('top-secret');
  });
  it('signals/send: a contact id without a call, a connection', () => {
    expect(validatePayload('signals/send', { contactId: '123', params: { p1: 'x' }, connectionId: 'c1' }).ok).toBe(true);
  });
});

describe('dispatch', () => {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    LAB_METHODS.map((m) => [m, async (p: unknown) => (calls.push(m), { ok: true, value: p })]),
  ) as unknown as LabHandlers;
  it('refuses methods outside the contract without calling anything', async () => {
    expect(isLabMethod('calls/list')).toBe(true);
    expect(isLabMethod('require')).toBe(false);
    expect(await dispatch(handlers, 'shell/exec', {})).toEqual({ ok: false, error: 'unknown method "shell/exec"', kind: 'usage', hint: null });
    expect(calls).toEqual([]);
  });
  it('passes valid payloads through and turns a throwing handler into an error value', async () => {
    expect(await dispatch(handlers, 'calls/get', { id: 'x' })).toEqual({ ok: true, value: { id: 'x' } });
    const throwing = { ...handlers, 'calls/get': async () => { throw new Error('boom'); } } as LabHandlers;
    expect(await dispatch(throwing, 'calls/get', { id: 'x' })).toEqual({ ok: false, error: 'boom', kind: 'internal', hint: null });
  });
});

describe('version', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toBe(pkg.version);
  });
});

describe('typed errors', () => {
  it('a bad payload is a usage error; a thrown LabError keeps its kind and hint; all read the same way', async () => {
    const { LabError, formatLabError } = await import('../../../src/shared/errors');
    const { errorText } = await import('../../../src/shared/result');
    const bad = await dispatch({} as LabHandlers, 'calls/get', { id: 7 });
    expect(bad).toMatchObject({ ok: false, kind: 'usage' });
    const taken = { 'calls/get': async () => Promise.reject(new LabError('set-up', 'port 5060 is in use', 'choose another port')) } as unknown as LabHandlers;
    const r = await dispatch(taken, 'calls/get', { id: 'x' });
    expect(r).toEqual({ ok: false, error: 'port 5060 is in use', kind: 'set-up', hint: 'choose another port' });
    expect(!r.ok && errorText(r)).toBe('port 5060 is in use — choose another port [set-up]');
    expect(formatLabError({ kind: 'set-up', message: 'port 5060 is in use', hint: 'choose another port' })).toBe(!r.ok && errorText(r));
  });
});
