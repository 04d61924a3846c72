'use strict';

/**
 * A test-only check of a webhook delivery against the published JWKS, written from Upvest's v6
 * description (names quoted in signature-input, unquoted in the base; `digest: SHA-256=`), so
 * the simulator's signer is checked by a second implementation.
 */

const crypto = require('node:crypto');
const { parseSignatureInput, parseDictionary } = require('../../simulator/verify');

/**
 * @param delivery {{ method?: string, path: string, headers: object, body: string }} as received;
 *        `path` is the request target, with the query if there is one
 * @param jwks {{ keys: object[] }}
 * @returns {{ ok: boolean, error?: string, components?: string[], params?: object, base?: string }}
 */
function checkDelivery({ method = 'POST', path, headers, body }, jwks) {
	const input = parseSignatureInput(headers['signature-input']);
	if (!input.ok) return { ok: false, error: input.error };
	const signature = parseDictionary(headers.signature ?? '');
	const sig = signature.ok && signature.members.get('sig1');
	if (!sig || sig.type !== 'bytes') return { ok: false, error: 'no signature' };
	const digest = `SHA-256=${crypto.createHash('sha256').update(body).digest('base64')}`;
	if (headers.digest !== digest) return { ok: false, error: 'digest does not match the body' };

	const [pathOnly, query] = path.split(/\?(.*)/s);
	const value = (name) => {
		if (name === '@method') return method;
		if (name === '@path') return pathOnly;
		if (name === '@query') return `?${query}`;
		return headers[name];
	};
	const base = [
		...input.components.map((name) => `${name}: ${value(name)}`),
		`@signature-params: ${input.rawParams}`,
	].join('\n');
	const jwk = jwks.keys.find((key) => key.kid === input.params.keyid);
	if (!jwk) return { ok: false, error: 'unknown kid' };
	const publicKey = crypto.createPublicKey({ key: jwk, format: 'jwk' });
	const valid = crypto.verify(
		'sha512',
		Buffer.from(base),
		{ key: publicKey, dsaEncoding: 'der' },
		sig.value,
	);
	const result = { ok: valid, components: input.components, params: input.params, base };
	if (!valid) result.error = 'signature does not verify';
	return result;
}

module.exports = { checkDelivery };
