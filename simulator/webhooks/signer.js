'use strict';

/**
 * Signs webhook deliveries the way Upvest signs them: HTTP Message Signatures draft 6 with
 * Upvest's quirk that component names are quoted in `signature-input` but not in the signature
 * base, a `digest: SHA-256=<base64>` body digest, ECDSA P-521 with SHA-512, DER, standard base64.
 * See docs.upvest.co (HTTP signatures v6) and docs/simulator.md.
 *
 * Written for the simulator alone: it shares no code with the node's verifier in nodes/.
 */

const crypto = require('node:crypto');

const LABEL = 'sig1';
/** Headers first, then the derived components, then the digest, as Upvest's v6 signer orders them. */
const DELIVERY_COMPONENTS = ['content-length', 'content-type', '@method', '@path', 'digest'];

/** What a delivery covers: `@query` is added only when the subscription URL has a query. */
const deliveryComponents = (hasQuery) =>
	hasQuery ? [...DELIVERY_COMPONENTS, '@query'] : DELIVERY_COMPONENTS;
const VALIDITY_SECONDS = 60;

/** The v6 body digest header value. */
function digestHeader(body) {
	return `SHA-256=${crypto.createHash('sha256').update(body).digest('base64')}`;
}

/** Ten random digits, the nonce shape of Upvest's v6 signer. */
function newNonce() {
	return String(crypto.randomInt(0, 1e10)).padStart(10, '0');
}

/** The text after `sig1=` in signature-input: quoted names, then the parameters in v6 order. */
function signatureParams(components, { keyid, created, nonce, expires }) {
	const names = components.map((name) => `"${name}"`).join(' ');
	return `(${names});keyid="${keyid}";created=${created};nonce="${nonce}";expires=${expires}`;
}

/**
 * The v6 signature base: `name: value` lines with unquoted names, then `@signature-params`.
 * @param values {(name: string) => string} the value of each covered component
 */
function signatureBase(components, values, params) {
	const lines = components.map((name) => `${name}: ${values(name)}`);
	lines.push(`@signature-params: ${params}`);
	return lines.join('\n');
}

/**
 * Signs one delivery. `headers` holds at least the covered header values (lower-case names);
 * `path` and `query` (raw, without "?"; null for none) are those of the subscription URL.
 * Returns the signature-input and signature header values and the base (for tests).
 */
function signDelivery({
	method = 'POST',
	path,
	query = null,
	headers,
	privateKey,
	keyid,
	created = Math.floor(Date.now() / 1000),
	expires = created + VALIDITY_SECONDS,
	nonce = newNonce(),
	components = deliveryComponents(query !== null),
}) {
	const params = signatureParams(components, { keyid, created, nonce, expires });
	const values = (name) => {
		if (name === '@method') return method.toUpperCase();
		if (name === '@path') return path;
		if (name === '@query') return `?${query}`;
		const value = headers[name];
		if (value === undefined) throw new Error(`covered header ${name} is missing`);
		return String(value).trim();
	};
	const base = signatureBase(components, values, params);
	const signature = crypto.sign('sha512', Buffer.from(base, 'utf8'), {
		key: privateKey,
		dsaEncoding: 'der',
	});
	return {
		signatureInput: `${LABEL}=${params}`,
		signature: `${LABEL}=:${signature.toString('base64')}:`,
		base,
	};
}

module.exports = {
	signDelivery,
	signatureBase,
	signatureParams,
	digestHeader,
	newNonce,
	deliveryComponents,
	DELIVERY_COMPONENTS,
	VALIDITY_SECONDS,
};
