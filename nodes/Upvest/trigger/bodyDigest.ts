/**
 * The body's integrity: the signature covers only a digest header, so the digest must be covered
 * and must match the raw bytes received.
 * v6: `digest: SHA-256=<base64>` (RFC 3230),
 * https://docs.upvest.co/documentation/concepts/api_concepts/http_signatures/v6/v6_content_digest
 * v15: `content-digest: sha-512=:<base64>:` (RFC 9530).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { fail, ok, type Result } from './checks';
import { headerValue, type SignatureVersion, type SignedRequest } from './signatureBase';
import { parseDictionary } from './structuredFields';

const ALGORITHMS: Record<string, 'sha256' | 'sha512'> = {
	'sha-256': 'sha256',
	'sha-512': 'sha512',
};

/** The header a body must be covered by, per version. */
export function digestHeaderFor(version: SignatureVersion): 'digest' | 'content-digest' {
	return version === 15 ? 'content-digest' : 'digest';
}

/** The (algorithm, digest) pairs a header claims; unknown algorithms are left out. */
function claimedDigests(name: string, value: string): Array<[string, Buffer]> | undefined {
	const claims: Array<[string, Buffer]> = [];
	if (name === 'digest') {
		for (const entry of value.split(',')) {
			const separator = entry.indexOf('=');
			if (separator < 0) return undefined;
			const algorithm = ALGORITHMS[entry.slice(0, separator).trim().toLowerCase()];
			const encoded = entry.slice(separator + 1).trim();
			if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
			if (algorithm) claims.push([algorithm, Buffer.from(encoded, 'base64')]);
		}
		return claims;
	}
	const dictionary = parseDictionary(value);
	if (!dictionary.ok) return undefined;
	for (const [key, member] of dictionary.value) {
		const algorithm = ALGORITHMS[key];
		if (algorithm === undefined) continue;
		if (!Buffer.isBuffer(member.value)) return undefined;
		claims.push([algorithm, member.value]);
	}
	return claims;
}

function checkHeader(request: SignedRequest, name: string): Result<void> {
	const value = headerValue(request.headers, name);
	if (value === undefined) return fail('digest', `covered header "${name}" is missing`);
	const claims = claimedDigests(name, value);
	if (claims === undefined) return fail('digest', `the ${name} header is malformed`);
	if (claims.length === 0)
		return fail('digest', `the ${name} header names no SHA-256 or SHA-512 digest`);
	for (const [algorithm, claimed] of claims) {
		const actual = createHash(algorithm).update(request.body).digest();
		if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
			return fail('digest', `the ${name} header does not match the body received`);
		}
	}
	return ok(undefined);
}

/**
 * A non-empty body must be covered by the version's digest header; every covered digest header
 * must match the body.
 */
export function checkBodyDigest(
	request: SignedRequest,
	components: string[],
	version: SignatureVersion,
): Result<void> {
	const required = digestHeaderFor(version);
	if (request.body.length > 0 && !components.includes(required)) {
		return fail('coverage', `the signature does not cover the body (${required} is not covered)`);
	}
	for (const name of ['digest', 'content-digest']) {
		if (!components.includes(name)) continue;
		const checked = checkHeader(request, name);
		if (!checked.ok) return checked;
	}
	return ok(undefined);
}
