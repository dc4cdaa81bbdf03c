// The versions the app reports (`lab --version`, the SIP User-Agent) are the real ones: the app's
// equals package.json's, sip.js's equals the installed sip.js package's (not its stale lib/version.js).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sipJsVersion, sipUserAgent, version } from '../../../src/main/version';

const root = resolve(import.meta.dirname, '../../..');
const pkgVersion = (file: string): string => (JSON.parse(readFileSync(resolve(root, file), 'utf8')) as { version: string }).version;

describe('versions', () => {
  it('match package.json and the installed sip.js', () => {
    expect(version).toBe(pkgVersion('package.json'));
    expect(sipJsVersion).toBe(pkgVersion('node_modules/sip.js/package.json'));
  });

  it('make the User-Agent CXone-SIP-Lab/<version> sip.js/<version>', () => {
    expect(sipUserAgent).toBe(`CXone-SIP-Lab/${version} sip.js/${sipJsVersion}`);
    expect(sipUserAgent).toMatch(/^CXone-SIP-Lab\/\d+\.\d+\.\d+ sip\.js\/\d+\.\d+\.\d+$/);
  });
});
