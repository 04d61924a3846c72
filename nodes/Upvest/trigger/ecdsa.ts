/**
 * ECDSA P-521 with SHA-512, the only algorithm Upvest signs webhooks with
 * (https://docs.upvest.co/documentation/concepts/api_concepts/http_signatures/signing_alogrithms).
 * The key decides the algorithm; a signature-input `alg` parameter is never trusted.
 */
import { verify, type KeyObject } from 'node:crypto';

/** A raw r||s P-521 signature is two 66-byte integers; DER encodings are 137 to 139 bytes. */
const RAW_P521_LENGTH = 132;

export function isP521Key(key: KeyObject): boolean {
	return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp521r1';
}

/** Accepts the DER signature Upvest's signers produce, and the raw r||s form. */
export function verifyP521(base: string, signature: Buffer, key: KeyObject): boolean {
	if (!isP521Key(key)) return false;
	const dsaEncoding = signature.length === RAW_P521_LENGTH ? 'ieee-p1363' : 'der';
	try {
		return verify('sha512', Buffer.from(base, 'utf8'), { key, dsaEncoding }, signature);
	} catch {
		// Malformed DER makes node throw; it is simply not a valid signature.
		return false;
	}
}
