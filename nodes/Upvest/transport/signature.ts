import { createHash, randomUUID, sign, type KeyObject } from 'node:crypto';

/**
 * HTTP Message Signatures (draft-ietf-httpbis-message-signatures-15) as Upvest verifies them.
 * See https://docs.upvest.co/documentation/concepts/api_concepts/http_signatures/v15/calculation_of_the_signature
 */

export const SIGNATURE_LABEL = 'sig1';
export const SIGNATURE_VERSION = '15';
/** Short validity: the signature is made right before each attempt, retries sign again. */
export const SIGNATURE_LIFETIME_SECONDS = 30;

/** Covered headers, in the order they enter the base; each only when the request carries it. */
const COVERED_HEADERS = [
	'accept',
	'authorization',
	'content-type',
	'content-length',
	'content-digest',
	'idempotency-key',
	'upvest-api-version',
	'upvest-client-id',
] as const;

const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-digest']);

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

export function contentDigest(body: Buffer): string {
	return `sha-512=:${createHash('sha512').update(body).digest('base64')}:`;
}

export function freshSignatureParameters(now = Date.now()): SignatureParameters {
	const created = Math.floor(now / 1000);
	return { created, expires: created + SIGNATURE_LIFETIME_SECONDS, nonce: randomUUID() };
}

/** The `@signature-params` value, which is also the `signature-input` value after `sig1=`. */
export function serializeSignatureParams(
	componentNames: string[],
	keyId: string,
	params: SignatureParameters,
): string {
	const list = componentNames.map((name) => `"${name}"`).join(' ');
	return `(${list});keyid="${keyId}";created=${params.created};expires=${params.expires};nonce="${params.nonce}"`;
}

export function buildSignatureBase(components: Array<[string, string]>, signatureParams: string): string {
	let base = '';
	for (const [name, value] of components) base += `"${name}": ${value}\n`;
	return `${base}"@signature-params": ${signatureParams}`;
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
 * Signs a request and returns every header to send besides the caller's own:
 * content-length and content-digest (when there is a body), signature-input, signature
 * and upvest-signature-version.
 */
export function signRequest(
	request: SignableRequest,
	signingKey: SigningKey,
	params: SignatureParameters = freshSignatureParameters(),
): Record<string, string> {
	const added: Record<string, string> = {};
	const hasBody = request.body !== undefined && request.body.length > 0;
	if (hasBody) {
		added['content-length'] = String((request.body as Buffer).length);
		added['content-digest'] = contentDigest(request.body as Buffer);
	}

	const components: Array<[string, string]> = [
		['@method', request.method.toUpperCase()],
		['@path', request.path === '' ? '/' : request.path],
	];
	if (request.query !== '') components.push(['@query', `?${request.query}`]);
	for (const name of COVERED_HEADERS) {
		// Body headers come from the body itself, and only when there is one.
		const value = BODY_HEADERS.has(name)
			? hasBody
				? (added[name] ?? request.headers[name])
				: undefined
			: request.headers[name];
		if (value !== undefined) components.push([name, value.trim()]);
	}

	const signatureParams = serializeSignatureParams(
		components.map(([name]) => name),
		signingKey.keyId,
		params,
	);
	const base = buildSignatureBase(components, signatureParams);
	added['signature-input'] = `${SIGNATURE_LABEL}=${signatureParams}`;
	added.signature = `${SIGNATURE_LABEL}=:${signBase(base, signingKey)}:`;
	added['upvest-signature-version'] = SIGNATURE_VERSION;
	return added;
}
