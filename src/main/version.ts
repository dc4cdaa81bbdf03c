/** The app's version (kept equal to package.json's by a unit test). */
export const version = '0.1.0';

/**
 * The sip.js release the app runs (kept equal to node_modules/sip.js/package.json's by a unit test;
 * sip.js's own `lib/version.js` still says 0.21.1, sip-in-node.md §0).
 */
export const sipJsVersion = '0.21.2';

/**
 * What the app writes in the SIP `User-Agent` header (RFC 3261 §20.41): `CXone-SIP-Lab/<version>
 * sip.js/<sip.js version>`, so a capture says which build of the lab sent a message.
 */
export const sipUserAgent = `CXone-SIP-Lab/${version} sip.js/${sipJsVersion}`;
