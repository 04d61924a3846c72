import { createHash, hash as oneShotHash, randomUUID, sign, type KeyObject } from 'node:crypto';

/**
 * HTTP Message Signatures (draft-ietf-httpbis-message-signatures-15) as Upvest verifies them.
 * See https://docs.upvest.co/documentation/concepts/api_concepts/http_signatures/v15/calculation_of_the_signature
 */

export const SIGNATURE_LABEL = 'sig1';
export const SIGNATURE_VERSION = '15';
/** Short validity: the signature is made right before each attempt, retries sign again. */
export const SIGNATURE_LIFETIME_SECONDS = 30;

/** Covered headers, in the order they enter the base; each only when the request carries it. */
export const COVERED_HEADERS = [
	'accept',
	'authorization',
	'content-type',
	'content-length',
	'content-digest',
	'idempotency-key',
	'upvest-api-version',
	'upvest-client-id',
] as const;

export type SigningAlgorithm = 'ecdsa-p521-sha512' | 'ed25519';

export interface SigningKey {
	keyId: string;
	key: KeyObject;
	algorithm: SigningAlgorithm;
}

export interface SignableRequest {
	method: string;
	/** Raw path as sent, e.g. `/account_groups`. */
	path: string;
	/** Raw query as sent, without the leading `?`; empty when the URL has none. */
	query: string;
	/** Lower-case header names. `content-length` and `content-digest` are derived from `body`. */
	headers: Record<string, string>;
	body?: Buffer;
}

export interface SignatureParameters {
	created: number;
	expires: number;
	nonce: string;
}

/** crypto.hash (Node 20.12+) saves a Hash object per call; n8n releases on Node 18 lack it. */
const sha512Base64: (body: Buffer) => string =
	typeof oneShotHash === 'function'
		? (body) => oneShotHash('sha512', body, 'base64')
		: (body) => createHash('sha512').update(body).digest('base64');

export function contentDigest(body: Buffer): string {
	return `sha-512=:${sha512Base64(body)}:`;
}

export function freshSignatureParameters(now = Date.now()): SignatureParameters {
	const created = Math.floor(now / 1000);
	return { created, expires: created + SIGNATURE_LIFETIME_SECONDS, nonce: randomUUID() };
}

export function signBase(base: string, signingKey: SigningKey): string {
	const data = Buffer.from(base, 'utf8');
	// ECDSA output is ASN.1 DER (node's default), which is what Upvest's own clients send.
	const signature =
		signingKey.algorithm === 'ed25519'
			? sign(null, data, signingKey.key)
			: sign('sha512', data, signingKey.key);
	return signature.toString('base64');
}

/**
 * Signs a request and writes every header to send besides the caller's own into `into`:
 * content-length and content-digest (when there is a body), signature-input, signature
 * and upvest-signature-version. Pass the outgoing headers as `into` to skip a copy.
 */
export function signRequest(
	request: SignableRequest,
	signingKey: SigningKey,
	params: SignatureParameters = freshSignatureParameters(),
	into: Record<string, string> = {},
): Record<string, string> {
	const { headers, body } = request;
	const hasBody = body !== undefined && body.length > 0;
	let contentLength: string | undefined;
	let digest: string | undefined;
	if (hasBody) {
		contentLength = String(body.length);
		digest = contentDigest(body);
	}

	// The component list and the base are built in one pass; this runs once per attempt.
	let names = '"@method" "@path"';
	let base = `"@method": ${request.method.toUpperCase()}\n"@path": ${request.path === '' ? '/' : request.path}\n`;
	if (request.query !== '') {
		names += ' "@query"';
		base += `"@query": ?${request.query}\n`;
	}
	for (const name of COVERED_HEADERS) {
		// Body headers come from the body itself, and only when there is one.
		const value =
			name === 'content-length'
				? contentLength
				: name === 'content-digest'
					? digest
					: name === 'content-type' && !hasBody
						? undefined
						: headers[name];
		if (value === undefined) continue;
		names += ` "${name}"`;
		base += `"${name}": ${value.trim()}\n`;
	}

	const signatureParams = `(${names});keyid="${signingKey.keyId}";created=${params.created};expires=${params.expires};nonce="${params.nonce}"`;
	if (contentLength !== undefined && digest !== undefined) {
		into['content-length'] = contentLength;
		into['content-digest'] = digest;
	}
	into['signature-input'] = `${SIGNATURE_LABEL}=${signatureParams}`;
	into.signature = `${SIGNATURE_LABEL}=:${signBase(`${base}"@signature-params": ${signatureParams}`, signingKey)}:`;
	into['upvest-signature-version'] = SIGNATURE_VERSION;
	return into;
}
