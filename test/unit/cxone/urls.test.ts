/**
 * URL building for the CXone APIs: the token URL, both path styles, p1..p9 encoding and order,
 * contact id path-encoding, and the input checks.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultAuthBase,
  accessKeyTokenUrl,
  activeContactsUrl,
  checkApiVersion,
  checkBaseUrl,
  signalQueryProblem,
  serverTimeUrl,
  signalQuery,
  signalUrl,
} from '../../../src/main/cxone/urls';

const BASE = 'https://api-na1.niceincontact.com';

describe('token and API URLs', () => {
  it('token URL on the auth host, trailing slashes trimmed', () => {
    expect(accessKeyTokenUrl('https://na1.nice-incontact.com/')).toBe('https://na1.nice-incontact.com/authentication/v1/token/access-key');
  });

  it('both path styles', () => {
    expect(signalUrl(BASE, 'incontactapi', 'v28.0', '123', {})).toBe(`${BASE}/incontactapi/services/v28.0/interactions/123/signal`);
    expect(signalUrl(`${BASE}//`, 'inContactAPI', 'v30.0', '123', {})).toBe(`${BASE}/inContactAPI/services/v30.0/interactions/123/signal`);
  });

  it('active contacts (with optional toAddr) and server time', () => {
    expect(activeContactsUrl(BASE, 'incontactapi', 'v28.0')).toBe(`${BASE}/incontactapi/services/v28.0/contacts/active`);
    expect(activeContactsUrl(BASE, 'incontactapi', 'v28.0', '+1 555')).toBe(`${BASE}/incontactapi/services/v28.0/contacts/active?toAddr=%2B1%20555`);
    expect(serverTimeUrl(BASE, 'inContactAPI', 'v25.0')).toBe(`${BASE}/inContactAPI/services/v25.0/server-time`);
  });
});

describe('signal query', () => {
  it('p1..p9 in order whatever the key order, only those given', () => {
    expect(signalQuery({ p3: 'c', p1: 'a', p9: 'i' })).toBe('p1=a&p3=c&p9=i');
  });

  it('encodes spaces, &, =, +, and unicode (UTF-8 percent-encoding)', () => {
    const q = signalQuery({ p1: 'Agent Handoff', p2: 'a&b=c', p3: '1+1', p4: 'café ☎', p5: '日本' });
    expect(q).toBe('p1=Agent%20Handoff&p2=a%26b%3Dc&p3=1%2B1&p4=caf%C3%A9%20%E2%98%8E&p5=%E6%97%A5%E6%9C%AC');
    // round trip through a standard parser gives the values back exactly
    const back = new URLSearchParams(q);
    expect(back.get('p2')).toBe('a&b=c');
    expect(back.get('p3')).toBe('1+1');
    expect(back.get('p4')).toBe('café ☎');
  });

  it('sends an empty string as pN=, leaves undefined out', () => {
    expect(signalQuery({ p1: '', p2: undefined, p3: 'x' })).toBe('p1=&p3=x');
  });

  it('ignores keys outside p1..p9 (signalQueryProblem reports them)', () => {
    expect(signalQuery({ p1: 'a', p10: 'no' } as never)).toBe('p1=a');
  });

  it('full signal URL with query', () => {
    expect(signalUrl(BASE, 'incontactapi', 'v28.0', '5001', { p1: 'AgentHandoff', p3: 'sess 1' })).toBe(
      `${BASE}/incontactapi/services/v28.0/interactions/5001/signal?p1=AgentHandoff&p3=sess%201`,
    );
  });
});

describe('contact id encoding', () => {
  it('path-encodes the contact id so it cannot change the path or add a query', () => {
    const u = signalUrl(BASE, 'incontactapi', 'v28.0', '12/../34?p1=x#y', { p1: 'a' });
    expect(u).toBe(`${BASE}/incontactapi/services/v28.0/interactions/12%2F..%2F34%3Fp1%3Dx%23y/signal?p1=a`);
    const parsed = new URL(u);
    expect(parsed.pathname.endsWith('/signal')).toBe(true);
    expect(parsed.searchParams.get('p1')).toBe('a');
  });

  it('encodes spaces and unicode in a contact id', () => {
    expect(signalUrl(BASE, 'incontactapi', 'v28.0', 'a b é', {})).toContain('/interactions/a%20b%20%C3%A9/signal');
  });
});

describe('input checks', () => {
  it('signalQueryProblem accepts p1..p9 strings and names the bad keys', () => {
    expect(signalQueryProblem({ p1: 'a', p9: '' })).toBeNull();
    expect(signalQueryProblem({ p1: 'a', p10: 'x', foo: 'y' })).toBe('signal parameters must be p1..p9 only; not allowed: "p10", "foo"');
    expect(signalQueryProblem({ p1: 5 })).toBe('signal parameter values must be strings: p1');
    expect(signalQueryProblem(null)).toContain('must be an object');
    expect(signalQueryProblem(['a'])).toContain('must be an object');
  });

  it('checkApiVersion wants vNN.N', () => {
    expect(checkApiVersion('v28.0')).toBeNull();
    expect(checkApiVersion('28.0')).toContain('v28.0');
    expect(checkApiVersion('v28')).not.toBeNull();
  });

  it('checkBaseUrl wants an absolute http(s) URL', () => {
    expect(checkBaseUrl(BASE, 'API base URL')).toBeNull();
    expect(checkBaseUrl('api-na1.niceincontact.com', 'API base URL')).toContain('is not a URL');
    expect(checkBaseUrl('ftp://x', 'API base URL')).toContain('https://');
    expect(checkBaseUrl('https://x/?a=1', 'API base URL')).toContain('query');
  });
});

describe('defaultAuthBase', () => {
  it('maps the discovered api-{area} host to the area token host', () => {
    expect(defaultAuthBase('https://api-na1.niceincontact.com')).toBe('https://na1.nice-incontact.com');
    expect(defaultAuthBase('https://api-EU1.niceincontact.com/')).toBe('https://eu1.nice-incontact.com');
  });
  it('keeps any other base as it is', () => {
    expect(defaultAuthBase('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000');
    // Issue 14: Kore's api-{cluster} host says no region, so no token host is derived (the old
    // expectation, the API host itself, was the unsourced behaviour the issue names): see hosts.test.ts.
    expect(defaultAuthBase('https://api-b32.nice-incontact.com')).toBe('');
  });
});
