/**
 * Webhook verification, check by check, beyond verify-delivery.test.ts: the reason each refusal
 * gives (the webhook answers 401 with it), the boundaries of each rule, and the components and
 * digests Upvest may use. Deliveries are signed by the independent test signer (webhook-signer.ts)
 * or are the published vector.
 */
import nodeCrypto, { createHash, generateKeyPairSync, sign } from 'node:crypto';

import { isP521Key, verifyP521 } from '../../../nodes/Upvest/trigger/ecdsa';
import { ReplayGuard } from '../../../nodes/Upvest/trigger/replayGuard';
import { headerValue, signatureVersion } from '../../../nodes/Upvest/trigger/signatureBase';
import { parseSignatureHeaders } from '../../../nodes/Upvest/trigger/signatureHeaders';
import { failedCheck, KID, NOW, signed, verifier, type Headers } from './verify-harness';
import { newSigner } from './webhook-signer';
import vector from './webhook-vector.json';

const sha256 = (body: string) => createHash('sha256').update(body).digest('base64');
const sha512 = (body: string) => createHash('sha512').update(body).digest('base64');

/** The vector's headers with `changed` applied, verified against the vector's body. */
async function verifyVector(changed: Headers, body: string = vector.body) {
	return await verifier()({ ...vector.headers, ...changed }, body);
}

describe('the signature headers', () => {
	test.each([
		[
			'no signature-input header',
			{ 'signature-input': undefined },
			'signature-input',
			'the signature-input header is missing',
		],
		[
			'a blank signature-input header',
			{ 'signature-input': '  ' },
			'signature-input',
			'the signature-input header is missing',
		],
		[
			'no signature header',
			{ signature: undefined },
			'signature',
			'the signature header is missing',
		],
		[
			'a blank signature header',
			{ signature: ' \t' },
			'signature',
			'the signature header is missing',
		],
		[
			'a malformed signature-input',
			{ 'signature-input': 'Sig1=()' },
			'signature-input',
			'signature-input: expected a lower-case key at character 1',
		],
		[
			'a malformed signature',
			{ signature: 'sig1=:AQ' },
			'signature',
			'signature: unterminated byte sequence at character 7',
		],
		[
			'no label in common',
			{ signature: 'other=:AQID:' },
			'signature',
			'no signature carries a label that signature-input describes',
		],
		[
			'components that are not a list',
			{ 'signature-input': 'sig1="@method";keyid="k";created=1' },
			'signature-input',
			'signature-input: the covered components are not a list',
		],
		[
			'a component with parameters',
			{ 'signature-input': 'sig1=("@method";sf);keyid="k";created=1' },
			'signature-input',
			'signature-input: each component must be a plain string',
		],
		[
			'a component that is a token',
			{ 'signature-input': 'sig1=(method);keyid="k";created=1' },
			'signature-input',
			'signature-input: each component must be a plain string',
		],
		[
			'a repeated component',
			{ 'signature-input': 'sig1=("@method" "@method");keyid="k";created=1' },
			'signature-input',
			'signature-input: component "@method" is repeated',
		],
		[
			'no keyid',
			{ 'signature-input': 'sig1=("@method");created=1' },
			'signature-input',
			'signature-input: keyid is missing',
		],
		[
			'an empty keyid',
			{ 'signature-input': 'sig1=("@method");keyid="";created=1' },
			'signature-input',
			'signature-input: keyid is missing',
		],
		[
			'a keyid that is a token',
			{ 'signature-input': 'sig1=("@method");keyid=k;created=1' },
			'signature-input',
			'signature-input: keyid is missing',
		],
		[
			'no created',
			{ 'signature-input': 'sig1=("@method");keyid="k"' },
			'signature-input',
			'signature-input: created is missing or not a timestamp',
		],
		[
			'a negative created',
			{ 'signature-input': 'sig1=("@method");keyid="k";created=-1' },
			'signature-input',
			'signature-input: created is missing or not a timestamp',
		],
		[
			'a created that is text',
			{ 'signature-input': 'sig1=("@method");keyid="k";created="1"' },
			'signature-input',
			'signature-input: created is missing or not a timestamp',
		],
		[
			'an expires that is text',
			{ 'signature-input': 'sig1=("@method");keyid="k";created=1;expires="2"' },
			'signature-input',
			'signature-input: expires is not a timestamp',
		],
		[
			'a negative expires',
			{ 'signature-input': 'sig1=("@method");keyid="k";created=1;expires=-2' },
			'signature-input',
			'signature-input: expires is not a timestamp',
		],
		[
			'a nonce that is a number',
			{ 'signature-input': 'sig1=("@method");keyid="k";created=1;nonce=5' },
			'signature-input',
			'signature-input: nonce is not a string',
		],
		[
			'an empty signature',
			{ signature: 'sig1=::' },
			'signature',
			'signature: sig1 is not a byte sequence',
		],
		[
			'a signature that is a string',
			{ signature: 'sig1="AQID"' },
			'signature',
			'signature: sig1 is not a byte sequence',
		],
	])('%s is refused, and says so', async (_name, changed, check, reason) => {
		expect(await verifyVector(changed)).toEqual({ ok: false, check, reason });
	});

	test('a header of white space alone is missing', () => {
		expect(parseSignatureHeaders('  ', 'sig1=:AQID:')).toEqual({
			ok: false,
			check: 'signature-input',
			reason: 'the signature-input header is missing',
		});
		expect(parseSignatureHeaders('sig1=("@method");keyid="k";created=1', ' ')).toEqual({
			ok: false,
			check: 'signature',
			reason: 'the signature header is missing',
		});
	});

	test('sig1 is preferred when several labels are signed, whatever their order', () => {
		const input = vector.headers['signature-input'].replace('sig1=', '');
		const signature = vector.headers.signature.replace('sig1=', '');
		const parsed = parseSignatureHeaders(
			`webhook=("@method");keyid="k";created=1, sig1=${input}`,
			`webhook=:AQID:, sig1=${signature}`,
		);
		expect(parsed).toMatchObject({ ok: true, value: { input: { label: 'sig1', keyId: KID } } });
	});

	test('created 0, expires and nonce optional: the parameters read as given', () => {
		const parsed = parseSignatureHeaders(
			'sig1=("@method" "@path");keyid="k 1";created=0',
			'sig1=:AQID:',
		);
		expect(parsed).toEqual({
			ok: true,
			value: {
				input: {
					label: 'sig1',
					components: ['@method', '@path'],
					params: '("@method" "@path");keyid="k 1";created=0',
					keyId: 'k 1',
					created: 0,
					expires: undefined,
					nonce: undefined,
				},
				signature: Buffer.from([1, 2, 3]),
			},
		});
	});
});

describe('coverage and the signature itself', () => {
	test('the reasons of a refused delivery', async () => {
		const noMethod = signed({ components: ['@path', 'digest'] });
		expect(await verifier()(noMethod.headers, noMethod.body)).toEqual({
			ok: false,
			check: 'coverage',
			reason: 'the signature does not cover @method',
		});
		const otherKey = signed({ signer: newSigner(KID).signer });
		expect(await verifier()(otherKey.headers, otherKey.body)).toEqual({
			ok: false,
			check: 'signature',
			reason: 'the signature does not match the delivery',
		});
		const verify = verifier();
		await verify(vector.headers, vector.body);
		expect(await verify(vector.headers, vector.body)).toEqual({
			ok: false,
			check: 'replay',
			reason: 'this signed delivery was already accepted',
		});
	});

	test('created up to the tolerance in the future is accepted', async () => {
		const delivery = signed({ created: NOW + 300, expires: NOW + 360 });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('accepted');
		const beyond = signed({ created: NOW + 301, expires: NOW + 360 });
		expect(failedCheck(await verifier()(beyond.headers, beyond.body))).toBe('freshness');
	});
});

describe('derived components', () => {
	const registered = new URL('https://n8n.example.com:8443/n8n/webhook/abc?source=upvest');
	const derived = {
		'@authority': 'n8n.example.com:8443',
		'@scheme': 'https',
		'@target-uri': 'https://n8n.example.com:8443/n8n/webhook/abc?source=upvest',
		'@request-target': '/n8n/webhook/abc?source=upvest',
		'@path': '/n8n/webhook/abc',
		'@query': '?source=upvest',
	};

	test.each(Object.keys(derived))('%s is derived from the registered URL', async (name) => {
		const delivery = signed({ components: ['@method', name, 'digest'], derived });
		const verify = verifier();
		expect(failedCheck(await verify(delivery.headers, delivery.body, registered))).toBe('accepted');
		const wrong = signed({
			components: ['@method', name, 'digest'],
			derived: { ...derived, [name]: `${derived[name as keyof typeof derived]}x` },
		});
		expect(failedCheck(await verifier()(wrong.headers, wrong.body, registered))).toBe('signature');
	});

	test('@query of a URL without a query is "?"', async () => {
		const delivery = signed({
			components: ['@method', '@query', 'digest'],
			derived: { '@query': '?' },
		});
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('accepted');
	});

	test('@query keeps a "?" inside the query', async () => {
		const url = new URL('https://n8n.example.com/hook?a=?b');
		const delivery = signed({
			components: ['@method', '@query', 'digest'],
			derived: { '@query': '?a=?b' },
		});
		expect(failedCheck(await verifier()(delivery.headers, delivery.body, url))).toBe('accepted');
	});

	test.each([
		['an unknown derived component', '@status', 'component "@status" is not supported'],
		['a dictionary member', 'content-type;key', 'component "content-type;key" is not supported'],
		['an upper-case header name', 'Content-Type', 'component "Content-Type" is not supported'],
		['a header the delivery lacks', 'x-missing', 'covered header "x-missing" is missing'],
	])('%s is refused, and says so', async (_name, component, reason) => {
		const delivery = signed({ components: ['@method', component, 'digest'] });
		expect(await verifier()(delivery.headers, delivery.body)).toEqual({
			ok: false,
			check: 'component',
			reason,
		});
	});

	test('a header value enters the base trimmed', () => {
		expect(headerValue({ a: '  x y \t' }, 'a')).toBe('x y');
		expect(headerValue({ a: [' x ', ' y'] }, 'a')).toBe('x, y');
		expect(headerValue({}, 'a')).toBeUndefined();
	});

	test('a delivery is v15 when it says so or covers content-digest, else v6', () => {
		expect(signatureVersion({ 'upvest-signature-version': ' 15 ' }, [])).toBe(15);
		expect(signatureVersion({}, ['@method', 'content-digest'])).toBe(15);
		expect(signatureVersion({ 'upvest-signature-version': '6' }, ['digest'])).toBe(6);
		expect(signatureVersion({}, [''])).toBe(6);
	});
});

describe('the body digest', () => {
	const body = vector.body;
	const digestOnly = (digest: string, components = ['@method', 'digest']) =>
		signed({ components, headers: { digest } });

	test.each([
		['lower-case algorithm names and spaces around "="', `sha-256 = ${sha256(body)}`],
		['SHA-512 with its two padding characters', `SHA-512=${sha512(body)}`],
		['an unknown algorithm next to a known one', `MD5=AAAA, SHA-256=${sha256(body)}`],
		['both algorithms', `SHA-256=${sha256(body)},SHA-512=${sha512(body)}`],
	])('digest: %s is accepted', async (_name, digest) => {
		const delivery = digestOnly(digest);
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('accepted');
	});

	test.each([
		['an entry without "="', `SHA-256${sha256(body)}`, 'the digest header is malformed'],
		['an entry of base64 alone', `AAAA, SHA-256=${sha256(body)}`, 'the digest header is malformed'],
		[
			'invalid base64 before the digest',
			`SHA-256=!${sha256(body)}`,
			'the digest header is malformed',
		],
		[
			'invalid base64 after the digest',
			`SHA-256=${sha256(body)}!`,
			'the digest header is malformed',
		],
		['an empty value', 'SHA-256=', 'the digest header is malformed'],
		[
			'only an unknown algorithm',
			'MD5=AAAA',
			'the digest header names no SHA-256 or SHA-512 digest',
		],
		['no algorithm name', '=AAAA', 'the digest header names no SHA-256 or SHA-512 digest'],
		[
			'one wrong digest of two',
			`SHA-256=${sha256(body)}, SHA-512=${sha256(body)}`,
			'the digest header does not match the body received',
		],
	])('digest: %s is refused, and says so', async (_name, digest, reason) => {
		const delivery = digestOnly(digest);
		expect(await verifier()(delivery.headers, delivery.body)).toEqual({
			ok: false,
			check: 'digest',
			reason,
		});
	});

	test('a covered digest header that is missing is refused', async () => {
		const delivery = signed({ components: ['@method', 'digest'] });
		const headers = { ...delivery.headers, digest: undefined };
		expect(await verifier()(headers, delivery.body)).toEqual({
			ok: false,
			check: 'digest',
			reason: 'covered header "digest" is missing',
		});
	});

	test('content-digest: unknown algorithms are skipped, a known one must be bytes', async () => {
		const good = `md5=:AAAA:, sha-512=:${sha512(body)}:`;
		const delivery = signed({
			v15: true,
			components: ['@method', 'content-digest'],
			headers: { 'content-digest': good },
		});
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('accepted');
		for (const [digest, reason] of [
			[`sha-512="${sha512(body)}"`, 'the content-digest header is malformed'],
			['sha-512=:AAAA', 'the content-digest header is malformed'],
			['md5=:AAAA:', 'the content-digest header names no SHA-256 or SHA-512 digest'],
		]) {
			const bad = signed({
				v15: true,
				components: ['@method', 'content-digest'],
				headers: { 'content-digest': digest },
			});
			expect(await verifier()(bad.headers, bad.body)).toEqual({
				ok: false,
				check: 'digest',
				reason,
			});
		}
	});

	test('every covered digest header must match, not only the first', async () => {
		const delivery = signed({
			v15: true,
			components: ['@method', 'digest', 'content-digest'],
			headers: {
				digest: `SHA-256=${sha256(body)}`,
				'content-digest': `sha-512=:${sha512('another body')}:`,
			},
		});
		expect(await verifier()(delivery.headers, delivery.body)).toEqual({
			ok: false,
			check: 'digest',
			reason: 'the content-digest header does not match the body received',
		});
	});
});

describe('ECDSA P-521', () => {
	const base = 'the base';
	const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

	test('a signature by another curve is refused, even when it is valid for that key', () => {
		const signature = sign('sha512', Buffer.from(base), p256.privateKey);
		expect(nodeCrypto.verify('sha512', Buffer.from(base), p256.publicKey, signature)).toBe(true);
		expect(verifyP521(base, signature, p256.publicKey)).toBe(false);
		expect(isP521Key(p256.publicKey)).toBe(false);
		expect(isP521Key(generateKeyPairSync('ed25519').publicKey)).toBe(false);
	});

	test('a P-521 key is one', () => {
		const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
		expect(isP521Key(publicKey)).toBe(true);
	});

	test('when node cannot read a signature at all and throws, it is simply not valid', () => {
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
		const signature = sign('sha512', Buffer.from(base), privateKey);
		const spy = jest.spyOn(nodeCrypto, 'verify').mockImplementation(() => {
			throw new Error('asn1 encoding routines::wrong tag');
		});
		try {
			expect(verifyP521(base, signature, publicKey)).toBe(false);
		} finally {
			spy.mockRestore();
		}
		expect(verifyP521(base, signature, publicKey)).toBe(true);
	});
});

describe('the replay guard', () => {
	test('an expired entry behind a live one refuses nothing', () => {
		const guard = new ReplayGuard();
		expect(guard.accept('live', 500, 50)).toBe(true);
		expect(guard.accept('expired', 100, 50)).toBe(true);
		// At 200 'expired' is past its validity but still stored behind 'live'.
		expect(guard.accept('expired', 400, 200)).toBe(true);
		expect(guard.accept('live', 500, 200)).toBe(false);
	});
});
