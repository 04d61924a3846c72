'use strict';

/**
 * The simulator's webhook signer (draft 6 as Upvest signs webhooks) against the synthetic vector
 * in webhook-v6-vector.json: same key, same parameters, byte-identical signature base.
 */

const crypto = require('node:crypto');
const {
	signDelivery,
	digestHeader,
	newNonce,
	DELIVERY_COMPONENTS,
} = require('../../simulator/webhooks/signer');
const { KeyRing } = require('../../simulator/webhooks/keys');
const vector = require('./webhook-v6-vector.json');
const { checkDelivery } = require('./v6-check');

/** The vector's private key: d = SHA-512(seed) as a big-endian P-521 scalar. */
function vectorPrivateKey() {
	const d = Buffer.concat([
		Buffer.alloc(2),
		crypto.createHash('sha512').update(vector.privateKeySeed, 'ascii').digest(),
	]);
	const ecdh = crypto.createECDH('secp521r1');
	ecdh.setPrivateKey(d);
	const point = ecdh.getPublicKey(); // 0x04 || x || y
	const jwk = {
		kty: 'EC',
		crv: 'P-521',
		d: d.toString('base64url'),
		x: point.subarray(1, 67).toString('base64url'),
		y: point.subarray(67).toString('base64url'),
	};
	return crypto.createPrivateKey({ key: jwk, format: 'jwk' });
}

const vectorPublicKey = () => crypto.createPublicKey({ key: vector.jwks.keys[0], format: 'jwk' });
const signatureBytes = (header) => Buffer.from(header.slice('sig1=:'.length, -1), 'base64');

function signVector(privateKey) {
	return signDelivery({
		method: vector.method,
		path: vector.path,
		headers: vector.headers,
		privateKey,
		keyid: vector.params.keyid,
		created: vector.params.created,
		nonce: vector.params.nonce,
		expires: vector.params.expires,
	});
}

test('the key from the seed is the key of the published JWKS', () => {
	const jwk = crypto.createPublicKey(vectorPrivateKey()).export({ format: 'jwk' });
	expect({ x: jwk.x, y: jwk.y }).toEqual({ x: vector.jwks.keys[0].x, y: vector.jwks.keys[0].y });
});

test('the digest header of the body', () => {
	expect(Buffer.byteLength(vector.body)).toBe(398);
	expect(digestHeader(vector.body)).toBe(vector.headers.digest);
	// the documented v6 digest examples
	expect(digestHeader('{"hello": "world"}')).toBe(
		'SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
	);
	expect(digestHeader('{"key": "value"}')).toBe(
		'SHA-256=lyTB4g5uPk1/V+0l+dTvsAblCFkNUoyQ2ll/andcE+U=',
	);
});

test('signature-input and the signature base are byte-identical to the vector', () => {
	const signed = signVector(vectorPrivateKey());
	expect(signed.signatureInput).toBe(vector.headers['signature-input']);
	expect(signed.base).toBe(vector.base);
	expect(crypto.createHash('sha256').update(signed.base).digest('hex')).toBe(vector.baseSha256);
	expect(DELIVERY_COMPONENTS).toEqual([
		'content-length',
		'content-type',
		'@method',
		'@path',
		'digest',
	]);
});

test("the vector's published DER signature verifies with Node's crypto, and its raw r||s form too", () => {
	const der = signatureBytes(vector.headers.signature);
	expect(der).toHaveLength(138);
	const base = Buffer.from(vector.base);
	expect(crypto.verify('sha512', base, { key: vectorPublicKey(), dsaEncoding: 'der' }, der)).toBe(
		true,
	);
	const raw = Buffer.from(vector.rawSignature, 'base64');
	expect(raw).toHaveLength(132);
	expect(
		crypto.verify('sha512', base, { key: vectorPublicKey(), dsaEncoding: 'ieee-p1363' }, raw),
	).toBe(true);
	// a v15-style base (quoted names) does not verify: the quirk matters
	const quoted = vector.base.replace(/^([^@\n][^:\n]*|@method|@path):/gm, '"$1":');
	expect(quoted).not.toBe(vector.base);
	expect(
		crypto.verify(
			'sha512',
			Buffer.from(quoted),
			{ key: vectorPublicKey(), dsaEncoding: 'der' },
			der,
		),
	).toBe(false);
});

test('our own signature over the same base verifies (ECDSA is randomised, so it differs)', () => {
	const signed = signVector(vectorPrivateKey());
	const ours = signatureBytes(signed.signature);
	expect(
		crypto.verify(
			'sha512',
			Buffer.from(vector.base),
			{ key: vectorPublicKey(), dsaEncoding: 'der' },
			ours,
		),
	).toBe(true);
	expect(signed.signature).toMatch(/^sig1=:[A-Za-z0-9+/]+=*:$/);
	expect(ours.length).toBeGreaterThanOrEqual(137);
	expect(ours.length).toBeLessThanOrEqual(139);
});

test('the test checker accepts the vector as received and refuses it tampered', () => {
	const received = { path: vector.path, headers: vector.headers, body: vector.body };
	expect(checkDelivery(received, vector.jwks)).toMatchObject({ ok: true, base: vector.base });
	expect(
		checkDelivery({ ...received, body: vector.body.replace('100.25', '900.25') }, vector.jwks),
	).toMatchObject({
		ok: false,
		error: 'digest does not match the body',
	});
	expect(checkDelivery({ ...received, path: '/other' }, vector.jwks).ok).toBe(false);
});

test('nonces are ten digits; a key ring publishes its keys as Upvest JWKs', () => {
	for (let i = 0; i < 50; i++) expect(newNonce()).toMatch(/^[0-9]{10}$/);
	const ring = new KeyRing({ kid: vector.params.keyid, privateKey: vectorPrivateKey() });
	expect(ring.jwks()).toEqual(vector.jwks);
	expect(
		() => new KeyRing({ privateKey: crypto.generateKeyPairSync('ed25519').privateKey }),
	).toThrow(/P-521/);
});
