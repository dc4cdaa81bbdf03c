/**
 * JSON Web Tokens for the CXone emulator's tokens: unsigned (`alg: none`) or HMAC-SHA256 signed,
 * carrying the claims a CXone client reads (`tenantId`, `iss`, `exp`, `iat`, `sub`…), and the
 * {@link EmulatedTokenIssuer} that issues, checks and revokes them.
 *
 * Emulated tokens are not meant to be secure against anyone; the HMAC only lets the emulator tell
 * its own tokens from others (e.g. one from another emulator instance, like a token from another
 * CXone environment).
 *
 * @remarks RFC 7519 (JWT), RFC 7515 §2 (base64url, no padding), RFC 7518 §3.2 (HS256), §3.6 (none);
 * claims as in the example token of cxone-reference.md §1c [RC-AUTH].
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { decodeJwt, type DecodedJwt, type JwtClaims } from '../cxone/jwt-claims';

export type { DecodedJwt, JwtClaims } from '../cxone/jwt-claims';
export { decodeJwt } from '../cxone/jwt-claims';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function hs256(input: string, secret: Buffer | string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

/**
 * Creates a JWT.
 *
 * @param secret HMAC key; when absent the token is unsigned (`alg: none`, empty signature segment).
 * @returns `header.payload.signature`, base64url without padding.
 */
export function createJwt(claims: JwtClaims, secret?: Buffer | string): string {
  const header = secret ? { alg: 'HS256', typ: 'JWT' } : { alg: 'none', typ: 'JWT' };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${secret ? hs256(input, secret) : ''}`;
}

/**
 * Checks an HS256 signature (in constant time) and decodes the token.
 *
 * @returns the decoded token when the signature matches `secret`; null otherwise (including `alg: none`).
 */
export function verifyJwt(token: string, secret: Buffer | string): DecodedJwt | null {
  const d = decodeJwt(token);
  if (!d || d.header.alg !== 'HS256') return null;
  const input = token.slice(0, token.lastIndexOf('.'));
  const want = Buffer.from(hs256(input, secret));
  const got = Buffer.from(d.signature);
  return want.length === got.length && timingSafeEqual(want, got) ? d : null;
}

/** The body of a token response (cxone-reference.md §1a, §1b). */
export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  /** Lifetime (s). */
  expires_in: number;
  id_token: string;
  /** OAuth password grant only (not accepted back by the emulator). */
  refresh_token?: string;
  issued_token_type?: string;
}

/** How many verified tokens {@link EmulatedTokenIssuer} remembers (a run uses one or a few). */
const VERIFIED_CACHE = 64;

/** Issued access tokens remembered at most (the oldest forgotten beyond). */
export const MAX_ISSUED_TOKENS = 50_000;
/** How long an expired token is still told apart from an unknown one (ms). */
export const EXPIRED_TOKEN_MEMORY_MS = 60 * 60_000;

/**
 * The emulator's token office: issues HS256 access and id tokens with CXone's claims (`tenantId`,
 * `iss`, `sub`, `iat`, `exp`, `icBUId`, `icClusterId`), remembers the access tokens it issued, and
 * tells why a bearer token is refused. The key is random per instance, so a token of another
 * emulator (or of one restarted since) is refused like a token of another CXone environment.
 */
export class EmulatedTokenIssuer {
  private readonly key = randomBytes(32);
  /** Access tokens issued and not revoked: jti → monotonic expiry (ms). */
  private readonly issued = new Map<string, number>();
  /**
   * Tokens whose signature was checked, most recent last (at most {@link VERIFIED_CACHE}): a client
   * sends the same token with every request, and an HMAC with a fresh key object per request was
   * half of the emulator's CPU per Signal at 100 Signals/s. Only the signature check is cached;
   * revocation and expiry are checked on every request.
   */
  private readonly verifiedTokens = new Map<string, DecodedJwt>();

  constructor(private readonly opts: { issuer: string; tenantId: string; ttlS: number }) {}

  /**
   * Issues a token pair for an access key id (already checked), at `wallMs` (Unix ms).
   *
   * @param opts.expired issue it already expired (the `expired-token` fault): `expires_in` still says
   *   the full lifetime, as when the server's clock runs ahead of the client's, but every use gets 401.
   * @param opts.issuer the `iss` claim; default the issuer the office was made with.
   * @param opts.clientId the registered app of an OAuth password grant: adds `refresh_token` and
   *   `issued_token_type` as in the OAuth example response [RC-AUTH], and `client_id` as a claim.
   */
  issue(accessKeyId: string, wallMs: number, opts: { expired?: boolean; clientId?: string; issuer?: string } = {}): TokenResponseBody {
    const { tenantId, ttlS } = this.opts;
    const issuer = opts.issuer ?? this.opts.issuer;
    const iat = Math.floor(wallMs / 1000);
    const sub = `user:${uuidFrom(accessKeyId)}`;
    const exp = opts.expired ? iat : iat + ttlS;
    const app = opts.clientId ? { client_id: opts.clientId } : {};
    const common = { iss: issuer, sub, tenantId, icBUId: 4600001, icClusterId: 'EMU1', icDomain: 'emulator.invalid', iat, exp, ...app };
    const jti = randomUUID();
    this.issued.set(jti, opts.expired ? performance.now() : performance.now() + ttlS * 1000);
    this.pruneIssued();
    const body: TokenResponseBody = {
      access_token: createJwt({ ...common, jti, token_use: 'access' }, this.key),
      token_type: 'Bearer',
      expires_in: ttlS,
      id_token: createJwt({ ...common, jti: randomUUID(), token_use: 'id', aud: opts.clientId ?? accessKeyId }, this.key),
    };
    if (opts.clientId) {
      body.refresh_token = randomBytes(24).toString('base64url');
      body.issued_token_type = 'urn:ietf:params:oauth:token-type:access_token';
    }
    return body;
  }

  /**
   * Checks an access token.
   *
   * @returns null when it was issued here, is not revoked and not expired; else the reason.
   */
  check(token: string): string | null {
    const d = this.verified(token);
    if (!d) return 'token not issued by this CXone (another environment, or an emulator restarted since?)';
    if (d.claims['token_use'] === 'id') return 'that is the id_token; send the access_token';
    const jti = typeof d.claims['jti'] === 'string' ? d.claims['jti'] : '';
    const exp = this.issued.get(jti);
    if (exp === undefined) return 'token revoked (or issued before a restart)';
    if (performance.now() >= exp) return 'token expired';
    return null;
  }

  /** The decoded token when its signature is this issuer's (cached per token string), else null. */
  private verified(token: string): DecodedJwt | null {
    const hit = this.verifiedTokens.get(token);
    if (hit) return hit;
    const d = verifyJwt(token, this.key);
    if (!d) return null;
    if (this.verifiedTokens.size >= VERIFIED_CACHE) this.verifiedTokens.delete(this.verifiedTokens.keys().next().value!);
    this.verifiedTokens.set(token, d);
    return d;
  }

  /**
   * Bounds the issued tokens for a run of hours (a bot that takes a token per call): tokens expired
   * more than {@link EXPIRED_TOKEN_MEMORY_MS} ago are forgotten (refused as "revoked or issued
   * before a restart" from then on), and beyond {@link MAX_ISSUED_TOKENS} the oldest go.
   */
  private pruneIssued(): void {
    if (this.issued.size <= MAX_ISSUED_TOKENS && this.issued.size % 256 !== 0) return;
    const now = performance.now();
    for (const [jti, exp] of this.issued) if (now - exp > EXPIRED_TOKEN_MEMORY_MS) this.issued.delete(jti);
    while (this.issued.size > MAX_ISSUED_TOKENS) this.issued.delete(this.issued.keys().next().value!);
  }

  /** How many issued access tokens are neither revoked nor expired now. */
  get liveCount(): number {
    const now = performance.now();
    let n = 0;
    for (const exp of this.issued.values()) if (now < exp) n++;
    return n;
  }

  /** Forgets every issued access token: each is refused from now on. */
  revokeAll(): void {
    this.issued.clear();
  }

  /** Makes every issued access token expire now: each is refused as expired from now on (the "expired token" fault). */
  expireAll(): void {
    const now = performance.now();
    for (const jti of this.issued.keys()) this.issued.set(jti, now);
  }
}

/** A stable UUID-shaped user id derived from an access key id (hashed; no secret involved). */
function uuidFrom(s: string): string {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
