'use strict';

/**
 * Minimal test-only signer written straight from the scheme in docs/signing.md,
 * so the simulator's verifier is exercised without touching the node's own
 * signer. Deliberately tiny; options exist only to produce broken requests.
 */

const crypto = require('node:crypto');

/**
 * @returns the complete header set to send (input headers + content-length,
 *          content-digest, signature-input, signature, upvest-signature-version).
 */
function signRequest({
	method,
	path,
	query = null, // raw query without "?"
	headers,
	body = '',
	keyId,
	privateKey, // KeyObject or PEM
	passphrase,
	created = Math.floor(Date.now() / 1000),
	expires = created + 10,
	nonce = crypto.randomUUID(),
	components, // override the covered list
}) {
	const bytes = Buffer.from(body);
	const all = { ...headers };
	if (bytes.length > 0) {
		all['content-length'] = String(bytes.length);
		all['content-digest'] =
			`sha-512=:${crypto.createHash('sha512').update(bytes).digest('base64')}:`;
	}

	const covered =
		components ||
		[
			'@method',
			'@path',
			query !== null ? '@query' : null,
			'accept',
			all.authorization !== undefined ? 'authorization' : null,
			...(bytes.length > 0 ? ['content-type', 'content-length', 'content-digest'] : []),
			all['idempotency-key'] !== undefined ? 'idempotency-key' : null,
			all['upvest-api-version'] !== undefined ? 'upvest-api-version' : null,
			'upvest-client-id',
		].filter(Boolean);

	const value = (name) => {
		if (name === '@method') return method.toUpperCase();
		if (name === '@path') return path;
		if (name === '@query') return `?${query}`;
		return all[name];
	};
	const params =
		`(${covered.map((c) => `"${c}"`).join(' ')})` +
		`;keyid="${keyId}";created=${created};expires=${expires};nonce="${nonce}"`;
	const base = [
		...covered.map((c) => `"${c}": ${value(c)}`),
		`"@signature-params": ${params}`,
	].join('\n');

	const key = crypto.createPrivateKey({ key: privateKey, format: 'pem', passphrase });
	const signature =
		key.asymmetricKeyType === 'ed25519'
			? crypto.sign(null, Buffer.from(base), key)
			: crypto.sign('sha512', Buffer.from(base), { key, dsaEncoding: 'der' });

	all['signature-input'] = `sig1=${params}`;
	all.signature = `sig1=:${signature.toString('base64')}:`;
	all['upvest-signature-version'] = '15';
	return all;
}

module.exports = { signRequest };
