/**
 * Reading the claims of a CXone token without checking its signature: the client needs the
 * `tenantId` (for `/.well-known/cxone-configuration`), the issuer `iss` and the expiry `exp`.
 *
 * @remarks RFC 7519 (JWT), RFC 7515 §2 (base64url, no padding); claims as in the example token of
 * cxone-reference.md §1c [RC-AUTH] (`tenantId`, `iss`, `icBUId`, `icClusterId`, `sub`, `iat`, `exp`).
 */

/** Claims of a token. `exp` and `iat` are NumericDate: seconds since the Unix epoch. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  exp?: number;
  iat?: number;
  tenantId?: string;
  [claim: string]: unknown;
}

/** A decoded token: header and claims; `signature` is the raw base64url segment (empty for `alg: none`). */
export interface DecodedJwt {
  header: { alg: string; typ?: string; [k: string]: unknown };
  claims: JwtClaims;
  signature: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Decodes a JWT without checking it.
 *
 * @returns the header and claims, or null when it is not three base64url segments of JSON objects.
 */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(claims) || typeof header['alg'] !== 'string') return null;
    return { header: header as DecodedJwt['header'], claims: claims as JwtClaims, signature: s };
  } catch {
    return null;
  }
}

/** What the client reads from a token for discovery (§1c). */
export interface TenantClaims {
  /** The `tenantId` claim (a UUID at CXone); null when absent. */
  tenantId: string | null;
  /** The `iss` claim, e.g. `https://cxone.niceincontact.com`; null when absent. */
  issuer: string | null;
  /** The `exp` claim in Unix ms; null when absent. */
  expiresWallMs: number | null;
}

/**
 * Reads `tenantId`, `iss` and `exp` from the first of the given tokens that is a JWT carrying a
 * `tenantId` (Cognigy decodes the id_token, the access token carries the same claims [COG], [RC-AUTH]).
 *
 * @returns the claims, or null when no token is a JWT with a `tenantId`.
 */
export function readTenantClaims(...tokens: (string | undefined)[]): TenantClaims | null {
  for (const t of tokens) {
    const c = t ? decodeJwt(t)?.claims : undefined;
    if (!c || typeof c.tenantId !== 'string' || !c.tenantId) continue;
    return {
      tenantId: c.tenantId,
      issuer: typeof c.iss === 'string' && c.iss ? c.iss : null,
      expiresWallMs: typeof c.exp === 'number' && Number.isFinite(c.exp) ? c.exp * 1000 : null,
    };
  }
  return null;
}
