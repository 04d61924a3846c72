import {
	createHash,
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	verify,
} from 'node:crypto';

import { signRequest, type SigningKey } from '../../nodes/Upvest/transport/signature';
import {
	getSigningKey,
	normalizePem,
	parseSigningKey,
} from '../../nodes/Upvest/transport/signingKey';
import { signDeterministicP521 } from '../support/rfc6979';
import given from './vector-parameters.json';
import vectors from './vectors.json';

import { exampleClient, testClient } from '../../simulator/fixtures';
import { verifyRequest } from '../../simulator/verify';

/** The parameters shared by the three reference vectors (docs/signing.md). */
const PARAMS = { created: given.created, expires: given.expires, nonce: given.nonce };
const KEY_ID = given.keyid;
const CLIENT_ID = given.clientId;

const rfcEcdsa: SigningKey = {
	keyId: KEY_ID,
	key: createPrivateKey(exampleClient.ecdsa.privateKeyPem),
	algorithm: 'ecdsa-p521-sha512',
};
const rfcEd25519: SigningKey = {
	keyId: KEY_ID,
	key: createPrivateKey(exampleClient.ed25519.privateKeyPem),
	algorithm: 'ed25519',
};

const common = {
	accept: 'application/json',
	'upvest-api-version': '1',
	'upvest-client-id': CLIENT_ID,
};
const requests = {
	A: {
		method: 'POST',
		path: '/account_groups',
		query: '',
		headers: {
			...common,
			authorization: `Bearer ${given.accessToken}`,
			'content-type': 'application/json',
			'idempotency-key': given.idempotencyKey,
		},
	},
	B: {
		method: 'GET',
		path: '/users',
		query: 'limit=2&offset=0',
		headers: { ...common, authorization: `Bearer ${given.accessToken}` },
	},
	C: {
		method: 'POST',
		path: '/auth/token',
		query: '',
		headers: { ...common, 'content-type': 'application/x-www-form-urlencoded' },
	},
};

describe.each(vectors)('reference vector $name', (vector) => {
	const request = {
		...requests[vector.name as keyof typeof requests],
		body: vector.body ? Buffer.from(vector.body) : undefined,
	};
	const base = Buffer.from(vector.base, 'utf8');
	const signatureParams = vector.base.split('\n').pop()!.replace('"@signature-params": ', '');

	test('the documented base is intact (SHA-256 as published)', () => {
		expect(createHash('sha256').update(base).digest('hex')).toBe(vector.baseSha256);
	});

	test('Ed25519: our signer reproduces the signature and signature-input byte for byte', () => {
		const headers = signRequest(request, rfcEd25519, PARAMS);
		expect(headers['signature-input']).toBe(`sig1=${signatureParams}`);
		expect(headers.signature).toBe(`sig1=:${vector.ed25519}:`);
		expect(headers['upvest-signature-version']).toBe('15');
		if (request.body) {
			expect(headers['content-length']).toBe(String(request.body.length));
			expect(base.toString()).toContain(`"content-digest": ${headers['content-digest']}`);
		} else {
			expect(headers['content-digest']).toBeUndefined();
		}
	});

	test('ECDSA P-521: our signature verifies over the documented base, and RFC 6979 reproduces the documented DER', () => {
		const headers = signRequest(request, rfcEcdsa, PARAMS);
		expect(headers['signature-input']).toBe(`sig1=${signatureParams}`);
		const ours = Buffer.from(headers.signature.slice('sig1=:'.length, -1), 'base64');
		expect(ours[0]).toBe(0x30); // DER, as Upvest's clients send
		const publicKey = createPublicKey(exampleClient.ecdsa.publicKeyPem);
		expect(verify('sha512', base, publicKey, ours)).toBe(true);
		expect(signDeterministicP521(base, rfcEcdsa.key).toString('base64')).toBe(vector.ecdsaDer);
	});

	test('the independent verifier accepts what we sign (Ed25519 and ECDSA)', () => {
		for (const key of [rfcEd25519, rfcEcdsa]) {
			const headers = { ...request.headers, ...signRequest(request, key, PARAMS) };
			const result = verifyRequest(
				{
					method: request.method,
					path: request.path,
					query: request.query || null,
					headers,
					body: request.body,
				},
				{
					keys: {
						[KEY_ID]: {
							publicKeys: [exampleClient.ecdsa.publicKeyPem, exampleClient.ed25519.publicKeyPem],
						},
					},
					now: PARAMS.created,
				},
			);
			expect(result).toMatchObject({ valid: true });
		}
	});
});

describe('signing keys', () => {
	test('reads the passphrase-protected SEC1 P-521 key Upvest documents, and Ed25519 PKCS#8', () => {
		expect(
			parseSigningKey(testClient.ecdsa.privateKeyPem, testClient.ecdsa.passphrase, 'k').algorithm,
		).toBe('ecdsa-p521-sha512');
		expect(parseSigningKey(testClient.ed25519.privateKeyPem, '', 'k').algorithm).toBe('ed25519');
		const pkcs8 = createPrivateKey({
			key: testClient.ecdsa.privateKeyPem,
			passphrase: testClient.ecdsa.passphrase,
		})
			.export({ type: 'pkcs8', format: 'pem' })
			.toString();
		expect(parseSigningKey(pkcs8, '', 'k').algorithm).toBe('ecdsa-p521-sha512');
	});

	test('restores PEM line breaks lost in pasting (escaped \\n, spaces, CRLF)', () => {
		const pem: string = testClient.ed25519.privateKeyPem;
		for (const mangled of [
			pem.replace(/\n/g, '\\n'),
			pem.replace(/\n/g, ' '),
			pem.replace(/\n/g, '\r\n'),
		]) {
			expect(parseSigningKey(mangled, '', 'k').algorithm).toBe('ed25519');
		}
		const encrypted: string = testClient.ecdsa.privateKeyPem;
		expect(normalizePem(encrypted.replace(/\n/g, '\r\n'))).toBe(encrypted);
		expect(normalizePem(encrypted.replace(/\n/g, ' '))).toBe(encrypted);
		expect(
			parseSigningKey(encrypted.replace(/\n/g, '\\n'), testClient.ecdsa.passphrase, 'k').algorithm,
		).toBe('ecdsa-p521-sha512');
	});

	const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString();
	const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString();
	test.each([
		['not a PEM', 'hello', '', /not a PEM key/],
		['a public key', testClient.ed25519.publicKeyPem, '', /public key/],
		[
			'encrypted without passphrase',
			testClient.ecdsa.privateKeyPem,
			'',
			/encrypted: enter its passphrase in the Passphrase field/,
		],
		['a wrong passphrase', testClient.ecdsa.privateKeyPem, 'wrong', /Passphrase is wrong/],
		['an RSA key', rsa, '', /RSA key, but Upvest accepts only ECDSA P-521 or Ed25519/],
		['a P-256 key', p256, '', /curve prime256v1.*P-521/],
		[
			'a damaged key',
			testClient.ed25519.privateKeyPem.replace(/[A-Za-z]{8}/, 'AAAAAAAA'),
			'',
			/could not be read/,
		],
	])(
		'rejects %s with a message naming the field and the fix',
		(_name, pem, passphrase, message) => {
			expect(() => parseSigningKey(pem, passphrase, 'k')).toThrow(message);
			try {
				parseSigningKey(pem, passphrase, 'k');
			} catch (error) {
				// Never echo key material or the passphrase.
				expect((error as Error).message).not.toContain(pem.split('\n')[1]?.slice(0, 20) || '@@');
				if (passphrase) expect((error as Error).message).not.toContain(`"${passphrase}"`);
			}
		},
	);

	test('parses each key once and reuses it', () => {
		const first = getSigningKey(testClient.ed25519.privateKeyPem, '', 'k1');
		expect(getSigningKey(testClient.ed25519.privateKeyPem, '', 'k1')).toBe(first);
		expect(getSigningKey(testClient.ed25519.privateKeyPem, '', 'k2')).not.toBe(first);
	});
});
