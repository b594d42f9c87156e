import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

/** Why GitHub would refuse an app JWT, in GitHub's words where it has them. */
export class AuthenticationError extends Error {}

interface JwtClaims {
  iss?: string | number;
  iat?: number;
  exp?: number;
}

/** GitHub accepts app JWTs that live at most ten minutes. */
const MAX_JWT_LIFETIME_SECONDS = 600;
/** GitHub tolerates this much clock drift on `iat`. */
const CLOCK_DRIFT_SECONDS = 60;

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  if (!segment) throw new AuthenticationError('A JSON web token could not be decoded');
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new AuthenticationError('A JSON web token could not be decoded');
  }
}

/** Verifies an app JWT (RS256) the way GitHub does: signature by the app's key, issuer, lifetime. */
export function verifyAppJwt(
  token: string,
  appId: number,
  publicKey: KeyObject,
  nowSeconds = Math.floor(Date.now() / 1000),
): void {
  const [headerSegment, payloadSegment, signatureSegment] = token.split('.');
  const header = decodeSegment(headerSegment);
  const claims = decodeSegment(payloadSegment) as JwtClaims;
  if (header.alg !== 'RS256') throw new AuthenticationError(`'alg' must be RS256, got ${String(header.alg)}`);
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${headerSegment}.${payloadSegment}`),
    publicKey,
    Buffer.from(signatureSegment ?? '', 'base64url'),
  );
  if (!signed) throw new AuthenticationError('A JSON web token could not be decoded');
  if (String(claims.iss) !== String(appId))
    throw new AuthenticationError(`'Issuer' claim ('iss') must match the app id ${appId}`);
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) {
    throw new AuthenticationError(
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    );
  }
  if (typeof claims.iat !== 'number' || claims.iat > nowSeconds + CLOCK_DRIFT_SECONDS) {
    throw new AuthenticationError(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    );
  }
  if (claims.exp - claims.iat > MAX_JWT_LIFETIME_SECONDS + CLOCK_DRIFT_SECONDS) {
    throw new AuthenticationError("'Expiration time' claim ('exp') is too far in the future");
  }
}

export function publicKeyOf(privateOrPublicKeyPem: string): KeyObject {
  return createPublicKey(privateOrPublicKeyPem);
}

export function newInstallationToken(): string {
  return `ghs_${randomBytes(18).toString('base64url')}`;
}
