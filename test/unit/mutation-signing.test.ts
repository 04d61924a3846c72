/**
 * Request signing (transport/signature.ts) and the signing key (transport/signingKey.ts) through
 * their public functions, beyond the reference vectors of signature.test.ts: the edge cases of a
 * request, each checked by the simulator's independent verifier or node:crypto with the public
 * key, and how keys are read, refused and cached.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';

import {
	contentDigest,
	freshSignatureParameters,
	signBase,
	signRequest,
	type SignableRequest,
	type SigningKey,
} from '../../nodes/Upvest/transport/signature';
import {
	getSigningKey,
	normalizePem,
	parseSigningKey,
} from '../../nodes/Upvest/transport/signingKey';
import { testClient } from '../../simulator/fixtures';
import { verifyRequest } from '../../simulator/verify';

const KEY_ID = 'key-1';
// Parsed in beforeAll, not at load: a broken parser then fails these tests instead of the file.
let ed25519: SigningKey;
let ecdsa: SigningKey;
beforeAll(() => {
	ed25519 = parseSigningKey(testClient.ed25519.privateKeyPem, '', KEY_ID);
	ecdsa = parseSigningKey(testClient.ecdsa.privateKeyPem, testClient.ecdsa.passphrase, KEY_ID);
});
const NOW = 1_700_000_000;
const PARAMS = { created: NOW, expires: NOW + 30, nonce: 'n-1' };
const HEADERS = {
	accept: 'application/json',
	authorization: 'Bearer token',
	'upvest-api-version': '1',
	'upvest-client-id': testClient.clientId,
};

/** Signs `request` and has the simulator's verifier check it as Upvest would receive it. */
function verifySigned(request: SignableRequest, key?: SigningKey, received = request) {
	const headers = { ...request.headers, ...signRequest(request, key ?? ed25519, PARAMS) };
	const result = verifyRequest(
		{
			method: received.method,
			path: received.path,
			query: received.query === '' ? null : received.query,
			headers,
			body: received.body,
		},
		{
			keys: {
				[KEY_ID]: {
					publicKeys: [testClient.ed25519.publicKeyPem, testClient.ecdsa.publicKeyPem],
				},
			},
			now: NOW,
		},
	) as { valid: boolean; error?: string; components?: string[] };
	return { headers, result };
}

const get = (change: Partial<SignableRequest> = {}): SignableRequest => ({
	method: 'GET',
	path: '/users',
	query: '',
	headers: { ...HEADERS },
	...change,
});

describe('signRequest: the request Upvest receives verifies', () => {
	test('with both key types, and a signature made afresh over another request fails', () => {
		for (const key of [ed25519, ecdsa]) {
			expect(verifySigned(get(), key).result).toMatchObject({ valid: true });
			expect(verifySigned(get(), key, get({ path: '/account_groups' })).result.valid).toBe(false);
		}
	});

	test('a lower-case method is signed upper-case', () => {
		const { result } = verifySigned(get({ method: 'get' }), ed25519, get());
		expect(result).toMatchObject({ valid: true });
		expect(
			verifySigned(get({ method: 'get' }), ed25519, get({ method: 'POST' })).result.valid,
		).toBe(false);
	});

	test('an empty path is signed as "/"', () => {
		expect(verifySigned(get({ path: '' }), ed25519, get({ path: '/' })).result).toMatchObject({
			valid: true,
		});
	});

	test('a query is covered as @query, with its leading "?"', () => {
		const { result, headers } = verifySigned(get({ query: 'limit=2&offset=0' }));
		expect(result).toMatchObject({ valid: true });
		expect(headers['signature-input']).toMatch(/^sig1=\("@method" "@path" "@query" "accept"/);
		expect(
			verifySigned(get({ query: 'limit=2' }), ed25519, get({ query: 'limit=3' })).result.valid,
		).toBe(false);
	});

	test('header values are signed trimmed, as a verifier reads them', () => {
		const padded = get({ headers: { ...HEADERS, accept: '  application/json \t' } });
		expect(verifySigned(padded).result).toMatchObject({ valid: true });
	});

	test('only the headers Upvest covers are signed, in their fixed order', () => {
		const request = get({
			method: 'POST',
			headers: {
				'x-trace': 't',
				'upvest-client-id': testClient.clientId,
				'idempotency-key': 'k-1',
				'content-type': 'application/json',
				authorization: 'Bearer token',
				accept: 'application/json',
				'upvest-api-version': '1',
			},
			body: Buffer.from('{}'),
		});
		const { headers, result } = verifySigned(request);
		expect(result).toMatchObject({ valid: true });
		expect(headers['signature-input']).toBe(
			`sig1=("@method" "@path" "accept" "authorization" "content-type" "content-length" "content-digest" "idempotency-key" "upvest-api-version" "upvest-client-id");keyid="${KEY_ID}";created=${NOW};expires=${NOW + 30};nonce="n-1"`,
		);
	});

	test('a body: content-length and content-digest are derived from it, and covered', () => {
		const body = Buffer.from('{"é":1}');
		const request = get({
			method: 'POST',
			headers: { ...HEADERS, 'content-type': 'application/json', 'content-length': '1' },
			body,
		});
		const { headers, result } = verifySigned(request);
		expect(result).toMatchObject({ valid: true });
		expect(headers['content-length']).toBe(String(body.length));
		expect(headers['content-digest']).toBe(
			`sha-512=:${createHash('sha512').update(body).digest('base64')}:`,
		);
		const tampered = { ...request, body: Buffer.from('{"é":2}') };
		expect(verifySigned(request, ed25519, tampered).result.valid).toBe(false);
	});

	test.each([
		['no body', undefined],
		['an empty body', Buffer.alloc(0)],
	])('%s: no body headers, and a content-type is not covered', (_name, body) => {
		const request = get({
			method: 'POST',
			headers: { ...HEADERS, 'content-type': 'application/json' },
			body,
		});
		const { headers, result } = verifySigned(request);
		expect(result).toMatchObject({ valid: true });
		expect(headers).not.toHaveProperty('content-length');
		expect(headers).not.toHaveProperty('content-digest');
		expect(result.components).not.toContain('content-type');
	});

	test('the signature headers are written into the object passed, which is returned', () => {
		const into: Record<string, string> = { accept: 'application/json' };
		const written = signRequest(
			get({ method: 'POST', body: Buffer.from('x') }),
			ed25519,
			PARAMS,
			into,
		);
		expect(written).toBe(into);
		expect(Object.keys(into).sort()).toEqual(
			[
				'accept',
				'content-digest',
				'content-length',
				'signature',
				'signature-input',
				'upvest-signature-version',
			].sort(),
		);
		expect(into['upvest-signature-version']).toBe('15');
	});

	test('without parameters, each signature is fresh', () => {
		const first = signRequest(get(), ed25519);
		const second = signRequest(get(), ed25519);
		expect(first['signature-input']).not.toBe(second['signature-input']);
		expect(first['signature-input']).toMatch(/;created=\d+;expires=\d+;nonce="[0-9a-f-]{36}"$/);
	});
});

describe('signature parts', () => {
	test('contentDigest is RFC 9530 sha-512 of the bytes', () => {
		const body = Buffer.from('hello');
		expect(contentDigest(body)).toBe(
			`sha-512=:${createHash('sha512').update(body).digest('base64')}:`,
		);
		expect(contentDigest(Buffer.alloc(0))).toBe(
			`sha-512=:${createHash('sha512').digest('base64')}:`,
		);
	});

	test('without crypto.hash (Node before 20.12, as in n8n on Node 18) the digest is the same', () => {
		const body = Buffer.from('hello');
		jest.isolateModules(() => {
			jest.doMock('node:crypto', () => ({
				...jest.requireActual<typeof import('node:crypto')>('node:crypto'),
				hash: undefined,
			}));
			const fallback = jest.requireActual<typeof import('../../nodes/Upvest/transport/signature')>(
				'../../nodes/Upvest/transport/signature',
			);
			expect(fallback.contentDigest(body)).toBe(
				`sha-512=:${createHash('sha512').update(body).digest('base64')}:`,
			);
		});
		jest.dontMock('node:crypto');
	});

	test('freshSignatureParameters: created in whole seconds, 30 seconds of validity, a random nonce', () => {
		const params = freshSignatureParameters(1_700_000_000_999);
		expect(params).toEqual({
			created: 1_700_000_000,
			expires: 1_700_000_030,
			nonce: expect.stringMatching(
				/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
			),
		});
		expect(freshSignatureParameters(0).nonce).not.toBe(freshSignatureParameters(0).nonce);
		const now = Math.floor(Date.now() / 1000);
		expect(Math.abs(freshSignatureParameters().created - now)).toBeLessThanOrEqual(1);
	});

	test('signBase: Ed25519, and ECDSA P-521 with SHA-512 in DER, checked with the public keys', () => {
		const base = '"@method": GET\n"@signature-params": ()';
		const edSignature = Buffer.from(signBase(base, ed25519), 'base64');
		expect(
			verify(
				null,
				Buffer.from(base),
				createPublicKey(testClient.ed25519.publicKeyPem),
				edSignature,
			),
		).toBe(true);
		const ecSignature = Buffer.from(signBase(base, ecdsa), 'base64');
		expect(ecSignature[0]).toBe(0x30);
		expect(
			verify(
				'sha512',
				Buffer.from(base),
				createPublicKey(testClient.ecdsa.publicKeyPem),
				ecSignature,
			),
		).toBe(true);
	});
});

describe('reading the signing key', () => {
	const ed25519Pem: string = testClient.ed25519.privateKeyPem;
	const encryptedPem: string = testClient.ecdsa.privateKeyPem;
	const passphrase: string = testClient.ecdsa.passphrase;

	test('the key id is trimmed; the algorithm follows the key', () => {
		expect(parseSigningKey(ed25519Pem, '', '  k-1 \n')).toMatchObject({
			keyId: 'k-1',
			algorithm: 'ed25519',
		});
		expect(parseSigningKey(encryptedPem, passphrase, 'k').algorithm).toBe('ecdsa-p521-sha512');
	});

	test('normalizePem restores the layout of a pasted key, legacy encryption headers included', () => {
		const flattened = encryptedPem.replace(/\n/g, ' ');
		expect(normalizePem(flattened)).toBe(encryptedPem);
		const squeezed = encryptedPem
			.replace('Proc-Type: ', 'Proc-Type:')
			.replace('DEK-Info: ', 'DEK-Info:  ');
		expect(normalizePem(squeezed)).toBe(encryptedPem);
		expect(normalizePem(`\n\n${ed25519Pem.replace(/\n/g, '\\n')}\r\n`)).toBe(ed25519Pem);
		expect(normalizePem('  not a key \r\n')).toBe('not a key');
		expect(normalizePem('-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----')).toBe(
			'-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----\n',
		);
	});

	test('normalizePem wraps the body at 64 characters', () => {
		const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
			.privateKey.export({ type: 'pkcs8', format: 'pem' })
			.toString();
		const lines = normalizePem(rsa.replace(/\n/g, '')).split('\n');
		expect(lines.slice(1, -3).every((line) => line.length === 64)).toBe(true);
		expect(lines.join('\n')).toBe(rsa);
	});

	test('an encrypted PKCS#8 key is read with its passphrase', () => {
		const pkcs8 = ecdsa.key
			.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pkcs8 pass' })
			.toString();
		expect(pkcs8).toContain('ENCRYPTED PRIVATE KEY');
		expect(parseSigningKey(pkcs8, 'pkcs8 pass', 'k').algorithm).toBe('ecdsa-p521-sha512');
		expect(() => parseSigningKey(pkcs8, '', 'k')).toThrow(
			'The Private Key is encrypted: enter its passphrase in the Passphrase field.',
		);
		expect(() => parseSigningKey(pkcs8, 'wrong', 'k')).toThrow(
			'Could not decrypt the Private Key: the Passphrase is wrong.',
		);
	});

	test('a certificate or public key in the field is named as such', () => {
		const certificate = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
		for (const pem of [certificate, testClient.ecdsa.publicKeyPem as string]) {
			expect(() => parseSigningKey(pem, '', 'k')).toThrow(
				'The Private Key field holds a public key or certificate',
			);
		}
	});

	test('keys Upvest does not accept are named with the fix', () => {
		const x25519 = generateKeyPairSync('x25519')
			.privateKey.export({ type: 'pkcs8', format: 'pem' })
			.toString();
		expect(() => parseSigningKey(x25519, '', 'k')).toThrow(
			'The Private Key is an X25519 key, but Upvest accepts only ECDSA P-521 or Ed25519 keys.',
		);
		const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
			.privateKey.export({ type: 'sec1', format: 'pem' })
			.toString();
		expect(() => parseSigningKey(p384, '', 'k')).toThrow(
			'The Private Key is an ECDSA key on curve secp384r1, but Upvest accepts ECDSA only on P-521 (secp521r1).',
		);
	});

	test('an EC key on a curve OpenSSL cannot name is refused as on an unknown curve', () => {
		jest.isolateModules(() => {
			jest.doMock('node:crypto', () => {
				const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
				return {
					...actual,
					createPrivateKey: () => ({ asymmetricKeyType: 'ec', asymmetricKeyDetails: {} }),
				};
			});
			const isolated = jest.requireActual<typeof import('../../nodes/Upvest/transport/signingKey')>(
				'../../nodes/Upvest/transport/signingKey',
			);
			expect(() => isolated.parseSigningKey(ed25519Pem, '', 'k')).toThrow(
				'The Private Key is an ECDSA key on curve unknown, but Upvest accepts ECDSA only on P-521',
			);
		});
		jest.dontMock('node:crypto');
	});

	test('an unencrypted key is read whatever the passphrase field holds', () => {
		expect(parseSigningKey(ed25519Pem, 'left over', 'k').algorithm).toBe('ed25519');
	});

	test('damaged key text is not read', () => {
		expect(() => parseSigningKey(ed25519Pem.replace(/[A-Za-z]{8}/, '!!!!!!!!'), '', 'k')).toThrow(
			'The Private Key could not be read: paste an unmodified PEM file (EC P-521 or Ed25519, SEC1 or PKCS#8).',
		);
	});
});

describe('the parsed-key cache', () => {
	const encryptedPem: string = testClient.ecdsa.privateKeyPem;
	const passphrase: string = testClient.ecdsa.passphrase;
	const ed25519Pem: string = testClient.ed25519.privateKeyPem;

	test('a wrong passphrase is refused even after the right one was read', () => {
		expect(getSigningKey(encryptedPem, passphrase, 'cache-1').algorithm).toBe('ecdsa-p521-sha512');
		expect(() => getSigningKey(encryptedPem, 'wrong', 'cache-1')).toThrow('Passphrase is wrong');
		// Moving characters between the key and the passphrase makes another entry, not a hit.
		expect(() =>
			getSigningKey(`${encryptedPem}${passphrase.slice(0, 1)}`, passphrase.slice(1), 'cache-1'),
		).toThrow('Passphrase is wrong');
	});

	test('each key id gets its own entry, told apart from the passphrase', () => {
		expect(getSigningKey(ed25519Pem, '', 'xk').keyId).toBe('xk');
		expect(getSigningKey(ed25519Pem, 'x', 'k').keyId).toBe('k');
		expect(getSigningKey(ed25519Pem, '', 'other').keyId).toBe('other');
	});

	test('another key under the same key id is parsed, not served from the cache', () => {
		expect(getSigningKey(ed25519Pem, '', 'same').algorithm).toBe('ed25519');
		expect(getSigningKey(encryptedPem, passphrase, 'same').algorithm).toBe('ecdsa-p521-sha512');
	});

	test('holds the 16 keys used last: the oldest goes first', () => {
		const ids = Array.from({ length: 17 }, (_, index) => `bounded-${index}`);
		const parsed = ids.map((keyId) => getSigningKey(ed25519Pem, '', keyId));
		expect(getSigningKey(ed25519Pem, '', ids[1])).toBe(parsed[1]);
		expect(getSigningKey(ed25519Pem, '', ids[16])).toBe(parsed[16]);
		const again = getSigningKey(ed25519Pem, '', ids[0]);
		expect(again).not.toBe(parsed[0]);
		expect(again.keyId).toBe(ids[0]);
	});
});
