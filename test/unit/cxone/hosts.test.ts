// Issue 14: Signal URLs on api-{cluster}.nice-incontact.com (Kore's form, seed 000_d4ad4dad8823db79.txt)
// and api-{area}.niceincontact.com (the discovered api_endpoint, [RC-AUTH]); the token host is derived
// only from an area, never from a cluster name.
import { describe, expect, it } from 'vitest';
import { CxoneClient } from '../../../src/main/cxone/client';
import { TokenCache } from '../../../src/main/cxone/token';
import { defaultAuthBase, deriveAuthBase, parseCxoneApiHost, regionAuthBase } from '../../../src/main/cxone/urls';

describe('CXone API hosts', () => {
  it('reads the area form (discovery, [RC-AUTH]) and the cluster form (Kore, seed 000)', () => {
    expect(parseCxoneApiHost('https://api-na1.niceincontact.com')).toEqual({ form: 'area', area: 'na1' });
    expect(parseCxoneApiHost('https://api-eu1.nice-incontact.com/')).toEqual({ form: 'area', area: 'eu1' });
    expect(parseCxoneApiHost('https://api-b32.nice-incontact.com')).toEqual({ form: 'cluster', cluster: 'b32' });
    expect(parseCxoneApiHost('https://API-B32.NICE-incontact.com')).toEqual({ form: 'cluster', cluster: 'b32' });
    expect(parseCxoneApiHost('http://127.0.0.1:8080')).toEqual({ form: 'other' });
  });

  it('derives the token host from an area, and asks for the region for a cluster', () => {
    expect(deriveAuthBase('https://api-au1.niceincontact.com')).toEqual({ authBase: 'https://au1.nice-incontact.com' });
    const d = deriveAuthBase('https://api-b32.nice-incontact.com');
    expect(d).toEqual({ error: expect.stringContaining('the access-key token host cannot be derived from api-b32.nice-incontact.com: "b32" is a cluster name') });
    expect('error' in d && d.error).toContain('--cxone-region na1|au1|eu1|…');
    expect('error' in d && d.error).toContain('discover');
    expect(deriveAuthBase('https://api-b32.nice-incontact.com', 'eu1')).toEqual({ authBase: 'https://eu1.nice-incontact.com' });
    expect(regionAuthBase('NA1')).toBe('https://na1.nice-incontact.com');
    expect(defaultAuthBase('http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
    expect(defaultAuthBase('https://api-b32.nice-incontact.com')).toBe('');
  });

  it('a client on a cluster host without a region says why it has no token, and sends nothing', async () => {
    const c = new CxoneClient({ apiBase: 'https://api-b32.nice-incontact.com', apiVersion: 'v28.0', pathStyle: 'incontactapi', credentials: { accessKeyId: 'a', accessKeySecret: 'b' }, tokenCache: new TokenCache() });
    const t = await c.getToken();
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.message).toContain('"b32" is a cluster name');
    const withRegion = new CxoneClient({ apiBase: 'https://api-b32.nice-incontact.com', region: 'na1', apiVersion: 'v28.0', pathStyle: 'incontactapi', credentials: { accessKeyId: 'a', accessKeySecret: 'b' }, tokenCache: new TokenCache() });
    expect((withRegion.tokens as unknown as { tokenUrl: string }).tokenUrl).toBe('https://na1.nice-incontact.com/authentication/v1/token/access-key');
  });
});
