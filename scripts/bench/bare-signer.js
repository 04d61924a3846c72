'use strict';

/**
 * The bare signer: HTTP message signatures as Upvest verifies them (every covered header present,
 * in the order given), written with node:crypto alone, independent of the package. It is the
 * baseline of the signing measurement and signs the bare scripts' requests.
 */

const crypto = require('node:crypto');
const path = require('node:path');

const { ROOT } = require('../n8n-runtime');
const { testClient } = require(path.join(ROOT, 'simulator', 'fixtures'));

/** The simulator's test client's two keys. */
const KEYS = {
	ed25519: { label: 'Ed25519', fixture: testClient.ed25519, digest: null },
	ecdsa: { label: 'ECDSA P-521', fixture: testClient.ecdsa, digest: 'sha512' },
};

function parseKey(keyName) {
	const { fixture } = KEYS[keyName];
	return crypto.createPrivateKey({
		key: fixture.privateKeyPem,
		format: 'pem',
		passphrase: fixture.passphrase,
	});
}

/**
 * The signature headers for a request. `headers` are lower-case and already include
 * content-length and content-digest when there is a body; `query` is the raw query without `?`.
 */
function bareSign({ method, pathname, query = '', headers, keyName, key }) {
	const names = Object.keys(headers);
	const created = Math.floor(Date.now() / 1000);
	const components = ['"@method"', '"@path"', ...(query ? ['"@query"'] : [])];
	const params =
		`(${[...components, ...names.map((n) => `"${n}"`)].join(' ')});keyid="${KEYS[keyName].fixture.keyId}"` +
		`;created=${created};expires=${created + 30};nonce="${crypto.randomUUID()}"`;
	let base = `"@method": ${method}\n"@path": ${pathname}\n`;
	if (query) base += `"@query": ?${query}\n`;
	for (const name of names) base += `"${name}": ${headers[name]}\n`;
	base += `"@signature-params": ${params}`;
	const signature = crypto
		.sign(KEYS[keyName].digest, Buffer.from(base, 'utf8'), key)
		.toString('base64');
	return {
		'signature-input': `sig1=${params}`,
		signature: `sig1=:${signature}:`,
		'upvest-signature-version': '15',
	};
}

function bodyHeaders(body) {
	return {
		'content-length': String(body.length),
		'content-digest': `sha-512=:${crypto.createHash('sha512').update(body).digest('base64')}:`,
	};
}

/** Rebuilds the signature base of a request the package signed, from its signature-input and headers. */
function baseOfSignedRequest(method, pathname, headers) {
	const input = headers['signature-input'].replace(/^sig1=/, '');
	const names = [...input.slice(1, input.indexOf(')')).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
	let base = '';
	for (const name of names) {
		const value =
			name === '@method' ? method : name === '@path' ? pathname : String(headers[name]).trim();
		base += `"${name}": ${value}\n`;
	}
	return `${base}"@signature-params": ${input}`;
}

module.exports = { KEYS, testClient, parseKey, bareSign, bodyHeaders, baseOfSignedRequest };
