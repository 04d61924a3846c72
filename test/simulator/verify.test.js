'use strict';

/**
 * The simulator's independent verifier against the signing test vectors
 * (byte-for-byte base, documented signatures; see docs/signing.md) and the
 * checklist of what Upvest verifies.
 */

const crypto = require('node:crypto');
const {
	parseSignatureInput,
	buildSignatureBase,
	verifyRequest,
	NonceStore,
} = require('../../simulator/verify');
const { exampleClient, testClient } = require('../../simulator/fixtures');
const { signRequest } = require('./sign-for-test');

const KEY_ID = '8d4997a8-cf7a-4e51-adbb-401656a3e5c2';
const CLIENT_ID = '5ec16164-6173-461d-b90d-116d68f55b40';
const PARAMS_TAIL = `;keyid="${KEY_ID}";created=1700000000;expires=1700000010;nonce="b8f3c1a2-5d4e-4f60-9a7b-0c1d2e3f4a5b"`;
const NOW = 1700000005;

const rfcKeys = () =>
	new Map([
		[
			KEY_ID,
			{
				clientId: CLIENT_ID,
				publicKeys: [exampleClient.ecdsa.publicKeyPem, exampleClient.ed25519.publicKeyPem],
			},
		],
	]);

const VECTORS = {
	A: {
		method: 'POST',
		path: '/account_groups',
		query: null,
		body: '{"user_id":"413715f2-5401-4b97-8055-034a6b879f8c","type":"PERSONAL"}',
		headers: {
			accept: 'application/json',
			authorization: 'Bearer ory_at_EXAMPLETOKEN',
			'content-type': 'application/json',
			'content-length': '68',
			'content-digest':
				'sha-512=:MAdSjmDNdHJpRXJgkgV8LYlJDzS+dUhtHbmvY/DalDyDp48zL0CKqdw1TgO4pQIft++FyrBW3R9eIfuBd5viNQ==:',
			'idempotency-key': 'ccb07f42-4104-44ad-8e1f-c660bb7b269c',
			'upvest-api-version': '1',
			'upvest-client-id': CLIENT_ID,
		},
		signatureInput: `sig1=("@method" "@path" "accept" "authorization" "content-type" "content-length" "content-digest" "idempotency-key" "upvest-api-version" "upvest-client-id")${PARAMS_TAIL}`,
		base: [
			'"@method": POST',
			'"@path": /account_groups',
			'"accept": application/json',
			'"authorization": Bearer ory_at_EXAMPLETOKEN',
			'"content-type": application/json',
			'"content-length": 68',
			'"content-digest": sha-512=:MAdSjmDNdHJpRXJgkgV8LYlJDzS+dUhtHbmvY/DalDyDp48zL0CKqdw1TgO4pQIft++FyrBW3R9eIfuBd5viNQ==:',
			'"idempotency-key": ccb07f42-4104-44ad-8e1f-c660bb7b269c',
			'"upvest-api-version": 1',
			`"upvest-client-id": ${CLIENT_ID}`,
			`"@signature-params": ("@method" "@path" "accept" "authorization" "content-type" "content-length" "content-digest" "idempotency-key" "upvest-api-version" "upvest-client-id")${PARAMS_TAIL}`,
		].join('\n'),
		baseSha256: '54c8137e8a2709df5f6af3a0a1842883cb8ca619c14110d9057935fed4ede376',
		ecdsaDer:
			'MIGIAkIB3JEPmAXo1HJ4l6TsEMHxiBb0f9B2Lt74bYuaN1iH4cY4bIt1muOTaqvk8Vb+/0z5+AF2TnQiPtBIyHR9kztYTZMCQgD3rGPXXXE5QDxHWTPAZpvMesZumusuWX5DcxbbCCg9CXN35M80TvuDl5FjlTQ2L/Mfx/+bm8e1zQcSs+tywpW1rg==',
		ecdsaRaw:
			'AdyRD5gF6NRyeJek7BDB8YgW9H/Qdi7e+G2LmjdYh+HGOGyLdZrjk2qr5PFW/v9M+fgBdk50Ij7QSMh0fZM7WE2TAPesY9ddcTlAPEdZM8Bmm8x6xm6a6y5ZfkNzFtsIKD0Jc3fkzzRO+4OXkWOVNDYv8x/H/5ubx7XNBxKz63LClbWu',
		ed25519:
			'2kBszEK8KrkMkt9Ns2q2I4yL1m6rVyZGOqwgj45qXY80CGcuBU8UfA56a9BXwZoXflOvLEp7B2AdgbNZZuReAw==',
	},
	B: {
		method: 'GET',
		path: '/users',
		query: 'limit=2&offset=0',
		body: '',
		headers: {
			accept: 'application/json',
			authorization: 'Bearer ory_at_EXAMPLETOKEN',
			'upvest-api-version': '1',
			'upvest-client-id': CLIENT_ID,
		},
		signatureInput: `sig1=("@method" "@path" "@query" "accept" "authorization" "upvest-api-version" "upvest-client-id")${PARAMS_TAIL}`,
		base: [
			'"@method": GET',
			'"@path": /users',
			'"@query": ?limit=2&offset=0',
			'"accept": application/json',
			'"authorization": Bearer ory_at_EXAMPLETOKEN',
			'"upvest-api-version": 1',
			`"upvest-client-id": ${CLIENT_ID}`,
			`"@signature-params": ("@method" "@path" "@query" "accept" "authorization" "upvest-api-version" "upvest-client-id")${PARAMS_TAIL}`,
		].join('\n'),
		baseSha256: '2c9d144f2d93f101311e625daaa884945d1755d4bae2db7b944479b54c5f194c',
		ecdsaDer:
			'MIGIAkIBRUd1ofwZHCGBafwWSCiaaYIAMQ1/Is26oycdpzIX2BET3FSIxTXKzx49R1qa5ExLt5NB2SYpeeA/daeT0CVYFSUCQgEWCIa1AF080o8WILc4SGjsAjQdSenee+iuAWC3lZe3mY39YuOc/K7S2YQ3XiqVghQq6gyla43t+wWf9Ov7APtQ1A==',
		ecdsaRaw:
			'AUVHdaH8GRwhgWn8FkgommmCADENfyLNuqMnHacyF9gRE9xUiMU1ys8ePUdamuRMS7eTQdkmKXngP3Wnk9AlWBUlARYIhrUAXTzSjxYgtzhIaOwCNB1J6d576K4BYLeVl7eZjf1i45z8rtLZhDdeKpWCFCrqDKVrje37BZ/06/sA+1DU',
		ed25519:
			'2L18v4DEprQWZZ8xbp8HTAzzs609pX+tqd9e2G7CpWyOYYCX0yvOWkTwb+ZXg7pDq0JXzoJE+fjazINkori0Cw==',
	},
	C: {
		method: 'POST',
		path: '/auth/token',
		query: null,
		body: 'client_id=5ec16164-6173-461d-b90d-116d68f55b40&client_secret=EXAMPLE-SECRET&grant_type=client_credentials&scope=users%3Aadmin+accounts%3Aadmin',
		headers: {
			accept: 'application/json',
			'content-type': 'application/x-www-form-urlencoded',
			'content-length': '142',
			'content-digest':
				'sha-512=:60YoVdqz5WuJRc10aB6iG5FzYtbzczU5Ru3oXl6XmvZAacaFYerGjCw2YpBt16xgEfWK5BVVrpuuXroLVcX+bQ==:',
			'upvest-api-version': '1',
			'upvest-client-id': CLIENT_ID,
		},
		signatureInput: `sig1=("@method" "@path" "accept" "content-type" "content-length" "content-digest" "upvest-api-version" "upvest-client-id")${PARAMS_TAIL}`,
		base: [
			'"@method": POST',
			'"@path": /auth/token',
			'"accept": application/json',
			'"content-type": application/x-www-form-urlencoded',
			'"content-length": 142',
			'"content-digest": sha-512=:60YoVdqz5WuJRc10aB6iG5FzYtbzczU5Ru3oXl6XmvZAacaFYerGjCw2YpBt16xgEfWK5BVVrpuuXroLVcX+bQ==:',
			'"upvest-api-version": 1',
			`"upvest-client-id": ${CLIENT_ID}`,
			`"@signature-params": ("@method" "@path" "accept" "content-type" "content-length" "content-digest" "upvest-api-version" "upvest-client-id")${PARAMS_TAIL}`,
		].join('\n'),
		baseSha256: 'b58043fefddbc351b43e8303904d008cfcd96f31e266c3de1825f399d3bcd710',
		ecdsaDer:
			'MIGHAkE8nnwLhrTkvKUe3mh/3v+I0Y4UNhd1StgHg0/vjdLT3ogWsnqX2YsPdGu50TpjocuvfvXlWHXyYryIf0UxnMNFpQJCAU+82pHBNT99UOoGGJ6kp0bRgInBF8iaSFWQNSmmArKvabAlSlJphUiwwxk4k+794pWoa5RYmfkEbQ39sY+0dvvF',
		ecdsaRaw:
			'ADyefAuGtOS8pR7eaH/e/4jRjhQ2F3VK2AeDT++N0tPeiBayepfZiw90a7nROmOhy69+9eVYdfJivIh/RTGcw0WlAU+82pHBNT99UOoGGJ6kp0bRgInBF8iaSFWQNSmmArKvabAlSlJphUiwwxk4k+794pWoa5RYmfkEbQ39sY+0dvvF',
		ed25519:
			'zqrwMhARKYZ+RD94+4OmTE61j5ln7hPF68wA9r49TUSE+tVj4fCO8DmVSM6eKMfosWZYv9ygLRzo7fpSsT+UBQ==',
	},
};

function vectorRequest(v, signatureB64, extraHeaders = {}) {
	return {
		method: v.method,
		path: v.path,
		query: v.query,
		body: Buffer.from(v.body),
		headers: {
			...v.headers,
			'signature-input': v.signatureInput,
			signature: `sig1=:${signatureB64}:`,
			'upvest-signature-version': '15',
			...extraHeaders,
		},
	};
}

describe.each(Object.entries(VECTORS))('reference vector %s', (name, v) => {
	test('signature-input parses and the base is rebuilt byte for byte', () => {
		const parsed = parseSignatureInput(v.signatureInput);
		expect(parsed.ok).toBe(true);
		expect(`sig1=${parsed.rawParams}`).toBe(v.signatureInput);
		expect(parsed.params).toEqual({
			keyid: KEY_ID,
			created: 1700000000,
			expires: 1700000010,
			nonce: 'b8f3c1a2-5d4e-4f60-9a7b-0c1d2e3f4a5b',
		});

		const built = buildSignatureBase(
			{ method: v.method, path: v.path, query: v.query, headers: v.headers },
			parsed.components,
			parsed.rawParams,
		);
		expect(built).toEqual({ ok: true, base: v.base });
		expect(crypto.createHash('sha256').update(built.base, 'utf8').digest('hex')).toBe(v.baseSha256);
	});

	test('the body digest matches the documented content-digest', () => {
		if (!v.body) return;
		const digest = crypto.createHash('sha512').update(v.body).digest('base64');
		expect(v.headers['content-digest']).toBe(`sha-512=:${digest}:`);
		expect(Buffer.byteLength(v.body)).toBe(Number(v.headers['content-length']));
	});

	test('documented ECDSA P-521 DER signature verifies', () => {
		const result = verifyRequest(vectorRequest(v, v.ecdsaDer), { keys: rfcKeys(), now: NOW });
		expect(result).toMatchObject({ valid: true, keyId: KEY_ID, clientId: CLIENT_ID });
	});

	test('documented Ed25519 signature verifies', () => {
		const result = verifyRequest(vectorRequest(v, v.ed25519), { keys: rfcKeys(), now: NOW });
		expect(result.valid).toBe(true);
	});

	test('raw r||s ECDSA encoding is rejected (Upvest expects DER)', () => {
		const result = verifyRequest(vectorRequest(v, v.ecdsaRaw), { keys: rfcKeys(), now: NOW });
		expect(result).toMatchObject({ valid: false, error: 'signature does not verify' });
	});

	test('deterministic RFC 6979 is not required: a fresh node signature over the same base verifies', () => {
		const key = crypto.createPrivateKey(exampleClient.ecdsa.privateKeyPem);
		const sig = crypto
			.sign('sha512', Buffer.from(v.base), { key, dsaEncoding: 'der' })
			.toString('base64');
		expect(verifyRequest(vectorRequest(v, sig), { keys: rfcKeys(), now: NOW }).valid).toBe(true);
	});
});

describe('verifyRequest checklist', () => {
	const A = VECTORS.A;
	const verifyA = (extra = {}, opts = {}, mutate = (r) => r) =>
		verifyRequest(mutate(vectorRequest(A, A.ecdsaDer, extra)), {
			keys: rfcKeys(),
			now: NOW,
			...opts,
		});

	test('requires upvest-signature-version: 15', () => {
		const missing = verifyA({}, {}, (r) => {
			delete r.headers['upvest-signature-version'];
			return r;
		});
		expect(missing).toMatchObject({
			valid: false,
			error: 'missing upvest-signature-version header',
		});
		expect(verifyA({ 'upvest-signature-version': '6' }).error).toMatch(
			/unsupported upvest-signature-version/,
		);
	});

	test('checks the validity window with skew', () => {
		expect(verifyA({}, { now: 1700000010 + 30 }).valid).toBe(true);
		expect(verifyA({}, { now: 1700000010 + 31 }).error).toBe('signature has expired');
		expect(verifyA({}, { now: 1700000000 - 31 }).error).toBe('signature created in the future');
		expect(verifyA({}, { now: 1700000000 - 31, clockSkewSeconds: 60 }).valid).toBe(true);
		expect(verifyA({}, { maxSignatureAgeSeconds: 5 }).error).toBe(
			'signature validity exceeds 5 seconds',
		);
	});

	test('rejects a tampered body via content-digest, and a wrong content-length', () => {
		expect(
			verifyA({}, {}, (r) => ({ ...r, body: Buffer.from(A.body.replace('PERSONAL', 'BUSINESS')) }))
				.error,
		).toBe('content-digest does not match the body');
		expect(verifyA({ 'content-length': '69' }).error).toBe(
			'content-length does not match the body',
		);
	});

	test('rejects a changed covered header and an unknown key id', () => {
		expect(verifyA({ 'idempotency-key': 'ccb07f42-4104-44ad-8e1f-c660bb7b269d' }).error).toBe(
			'signature does not verify',
		);
		expect(verifyA({}, { keys: new Map() }).error).toBe('unknown key id');
	});

	test('rejects a replayed nonce only after a valid first use', () => {
		const nonceStore = new NonceStore();
		expect(verifyA({}, { nonceStore }).valid).toBe(true);
		expect(verifyA({}, { nonceStore }).error).toBe('nonce has already been used');
		// a forged request must not burn a fresh nonce
		const fresh = new NonceStore();
		expect(verifyA({ 'upvest-api-version': '2' }, { nonceStore: fresh }).valid).toBe(false);
		expect(verifyA({}, { nonceStore: fresh }).valid).toBe(true);
		// nonces are forgotten once their signature can no longer be valid
		expect(
			nonceStore.checkAndRemember(KEY_ID, 'b8f3c1a2-5d4e-4f60-9a7b-0c1d2e3f4a5b', 0, NOW + 1000),
		).toBe(true);
	});

	test('requires the minimum component set', () => {
		const now = Math.floor(Date.now() / 1000);
		const keys = new Map([
			[
				testClient.ed25519.keyId,
				{ clientId: testClient.clientId, publicKeys: [testClient.ed25519.publicKeyPem] },
			],
		]);
		const base = {
			accept: 'application/json',
			authorization: 'Bearer x',
			'content-type': 'application/json',
			'idempotency-key': crypto.randomUUID(),
			'upvest-client-id': testClient.clientId,
		};
		const check = (
			components,
			{ path = '/roles', query = null, body = '{}', headers = base } = {},
		) => {
			const signed = signRequest({
				method: 'POST',
				path,
				query,
				headers,
				body,
				keyId: testClient.ed25519.keyId,
				privateKey: testClient.ed25519.privateKeyPem,
				components,
			});
			return verifyRequest(
				{ method: 'POST', path, query, headers: signed, body: Buffer.from(body) },
				{ keys, now },
			);
		};
		const full = [
			'@method',
			'@path',
			'accept',
			'authorization',
			'content-type',
			'content-length',
			'content-digest',
			'idempotency-key',
			'upvest-client-id',
		];
		expect(check(full).valid).toBe(true);
		for (const name of full) {
			expect(check(full.filter((c) => c !== name)).error).toBe(
				`required component "${name}" is not covered`,
			);
		}
		expect(check(full, { query: 'a=1' }).error).toBe('required component "@query" is not covered');
		expect(check([...full, '@query'], { query: 'a=1' }).valid).toBe(true);
		expect(check([...full, '@query']).error).toBe(
			'"@query" is covered but the request has no query',
		);
		expect(check([...full, 'date']).error).toBe('covered header "date" is missing');
		expect(check([...full, '@authority']).error).toBe('unsupported derived component "@authority"');

		const noBody = full.filter(
			(c) => !['content-type', 'content-length', 'content-digest'].includes(c),
		);
		expect(check(noBody, { body: '' }).valid).toBe(true);
		expect(check([...noBody, 'content-type'], { body: '' }).error).toBe(
			'"content-type" is covered but the request has no body',
		);

		// the token request is the only one without authorization
		const { authorization, ...tokenHeaders } = base;
		const tokenComponents = full.filter((c) => c !== 'authorization');
		expect(check(tokenComponents, { path: '/auth/token', headers: tokenHeaders }).valid).toBe(true);
		expect(check(tokenComponents, { headers: tokenHeaders }).error).toBe(
			'required component "authorization" is not covered',
		);
	});

	test('uses the parameters and component order exactly as sent (official Python client ordering)', () => {
		// Another component order, and params keyid,nonce,created,expires
		const components = [
			'@method',
			'@path',
			'accept',
			'authorization',
			'content-type',
			'idempotency-key',
			'upvest-api-version',
			'upvest-client-id',
			'date',
			'content-digest',
			'content-length',
		];
		const raw = `(${components.map((c) => `"${c}"`).join(' ')});keyid="${KEY_ID}";nonce="b8f3c1a2-5d4e-4f60-9a7b-0c1d2e3f4a5b";created=1700000000;expires=1700000010`;
		const headers = { ...A.headers, date: 'Tue, 14 Nov 2023 22:13:20 GMT' };
		const parsed = parseSignatureInput(`sig1=${raw}`);
		const built = buildSignatureBase(
			{ method: 'POST', path: A.path, headers },
			parsed.components,
			parsed.rawParams,
		);
		expect(built.base).toBe(
			[
				'"@method": POST',
				'"@path": /account_groups',
				'"accept": application/json',
				'"authorization": Bearer ory_at_EXAMPLETOKEN',
				'"content-type": application/json',
				'"idempotency-key": ccb07f42-4104-44ad-8e1f-c660bb7b269c',
				'"upvest-api-version": 1',
				`"upvest-client-id": ${CLIENT_ID}`,
				'"date": Tue, 14 Nov 2023 22:13:20 GMT',
				`"content-digest": ${A.headers['content-digest']}`,
				'"content-length": 68',
				`"@signature-params": ${raw}`,
			].join('\n'),
		);
		const key = crypto.createPrivateKey(exampleClient.ecdsa.privateKeyPem);
		const sig = crypto
			.sign('sha512', Buffer.from(built.base), { key, dsaEncoding: 'der' })
			.toString('base64');
		const result = verifyRequest(
			{
				method: 'POST',
				path: A.path,
				headers: {
					...headers,
					'signature-input': `sig1=${raw}`,
					signature: `sig1=:${sig}:`,
					'upvest-signature-version': '15',
				},
				body: Buffer.from(A.body),
			},
			{ keys: rfcKeys(), now: NOW },
		);
		expect(result.valid).toBe(true);
	});

	test('multiple header field lines are joined with ", "', () => {
		const built = buildSignatureBase(
			{ method: 'get', path: '', headers: { accept: [' application/json ', 'text/plain'] } },
			['@method', '@path', 'accept'],
			'x',
		);
		expect(built.base).toBe(
			'"@method": GET\n"@path": /\n"accept": application/json, text/plain\n"@signature-params": x',
		);
	});
});
