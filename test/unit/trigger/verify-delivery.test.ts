import { createHash } from 'node:crypto';

import { ReplayGuard } from '../../../nodes/Upvest/trigger/replayGuard';
import { buildSignatureBase } from '../../../nodes/Upvest/trigger/signatureBase';
import { parseSignatureHeaders } from '../../../nodes/Upvest/trigger/signatureHeaders';
import { verifyDelivery } from '../../../nodes/Upvest/trigger/verifyDelivery';
import { VerifyKeyCache } from '../../../nodes/Upvest/trigger/verifyKeys';
import {
	failedCheck,
	KID,
	NOW,
	signed,
	URL_REGISTERED,
	verifier,
	type Headers,
} from './verify-harness';
import { newSigner } from './webhook-signer';
import vector from './webhook-vector.json';

describe('the synthetic Upvest v6 vector', () => {
	test('the v6 base built from it is the published one, byte for byte', () => {
		const parsed = parseSignatureHeaders(
			vector.headers['signature-input'],
			vector.headers.signature,
		);
		if (!parsed.ok) throw new Error(parsed.reason);
		const base = buildSignatureBase(
			{
				method: 'POST',
				url: URL_REGISTERED,
				headers: vector.headers,
				body: Buffer.from(vector.body),
			},
			parsed.value.input,
			6,
		);
		if (!base.ok) throw new Error(base.reason);
		expect(createHash('sha256').update(base.value).digest('hex')).toBe(vector.baseSha256);
		expect(base.value.split('\n')).toHaveLength(6);
	});

	test('is accepted with its DER signature', async () => {
		expect(Buffer.byteLength(vector.body)).toBe(398);
		const result = await verifier()(vector.headers, vector.body);
		expect(result).toEqual({
			ok: true,
			value: {
				keyId: KID,
				created: 1700000000,
				expires: 1700000060,
				version: 6,
				components: ['content-length', 'content-type', '@method', '@path', 'digest'],
			},
		});
	});

	test('is accepted with the same signature as raw r||s (132 bytes)', async () => {
		expect(Buffer.from(vector.rawSignature, 'base64')).toHaveLength(132);
		const headers = { ...vector.headers, signature: `sig1=:${vector.rawSignature}:` };
		expect(failedCheck(await verifier()(headers, vector.body))).toBe('accepted');
	});

	test('the test scalar is the private half of the published key', async () => {
		expect(failedCheck(await verifier()(signed().headers, vector.body))).toBe('accepted');
	});

	test('a tampered body fails the digest check', async () => {
		const tampered = vector.body.replace('100.25', '999.25');
		expect(tampered).toHaveLength(vector.body.length);
		const result = await verifier()(vector.headers, tampered);
		expect(result).toMatchObject({ ok: false, check: 'digest' });
	});

	test('a digest header changed to match a tampered body fails the signature', async () => {
		const tampered = vector.body.replace('100.25', '999.25');
		const digest = `SHA-256=${createHash('sha256').update(tampered).digest('base64')}`;
		const result = await verifier()({ ...vector.headers, digest }, tampered);
		expect(result).toMatchObject({ ok: false, check: 'signature' });
	});

	test('a digest header changed alone fails the digest check', async () => {
		const digest = vector.headers.digest.replace('kGOr', 'kGOs');
		expect(failedCheck(await verifier()({ ...vector.headers, digest }, vector.body))).toBe(
			'digest',
		);
	});

	test('is stale after expires + tolerance, and accepted up to it', async () => {
		expect(
			failedCheck(await verifier({ now: 1700000060 + 300 })(vector.headers, vector.body)),
		).toBe('accepted');
		const late = await verifier({ now: 1700000060 + 301 })(vector.headers, vector.body);
		expect(late).toMatchObject({
			ok: false,
			check: 'freshness',
			reason: 'the signature has expired',
		});
	});

	test('is refused when created is beyond the tolerance in the future', async () => {
		const early = await verifier({ now: 1700000000 - 301 })(vector.headers, vector.body);
		expect(early).toMatchObject({
			check: 'freshness',
			reason: 'the signature was created in the future',
		});
	});

	test('is refused when Upvest does not publish its keyid, after one key fetch', async () => {
		let fetches = 0;
		const cache = new VerifyKeyCache({ now: () => NOW * 1000 });
		const result = await verifyDelivery(
			{
				method: 'POST',
				url: URL_REGISTERED,
				headers: vector.headers,
				body: Buffer.from(vector.body),
			},
			{
				lookupKey: async (kid) =>
					await cache.lookup('credential', kid, async () => {
						fetches++;
						return { keys: [newSigner('another-kid').jwk] };
					}),
				replayGuard: new ReplayGuard(),
				toleranceSeconds: 300,
				now: NOW,
			},
		);
		expect(result).toMatchObject({ ok: false, check: 'keyid' });
		expect(fetches).toBe(1);
	});
});

describe('what a delivery must carry', () => {
	test.each([
		['signature-input', 'signature-input'],
		['signature', 'signature'],
	])('without the %s header it is refused', async (header, check) => {
		const headers: Headers = { ...vector.headers, [header]: undefined };
		expect(failedCheck(await verifier()(headers, vector.body))).toBe(check);
	});

	test.each([
		['not a dictionary', { 'signature-input': 'sig1' }, 'signature-input'],
		[
			'a token where a list belongs',
			{ 'signature-input': 'sig1=abc;keyid="k";created=1' },
			'signature-input',
		],
		['no keyid', { 'signature-input': 'sig1=("@method");created=1700000000' }, 'signature-input'],
		['no created', { 'signature-input': 'sig1=("@method");keyid="k"' }, 'signature-input'],
		[
			'a repeated component',
			{ 'signature-input': 'sig1=("@method" "@method");keyid="k";created=1' },
			'signature-input',
		],
		[
			'a repeated label',
			{
				'signature-input': `${vector.headers['signature-input']}, sig1=("@method");keyid="k";created=1`,
			},
			'signature-input',
		],
		['a signature that is not base64', { signature: 'sig1=:not base64!:' }, 'signature'],
		[
			'a signature under another label',
			{ signature: vector.headers.signature.replace('sig1', 'sig2') },
			'signature',
		],
	])('with %s it is refused', async (_name, changed, check) => {
		expect(failedCheck(await verifier()({ ...vector.headers, ...changed }, vector.body))).toBe(
			check,
		);
	});

	test('a body the signature does not cover is refused (no digest component)', async () => {
		const delivery = signed({ components: ['content-type', '@method', '@path'] });
		const result = await verifier()(delivery.headers, delivery.body);
		expect(result).toMatchObject({ check: 'coverage', reason: expect.stringContaining('digest') });
	});

	test('a signature that does not cover @method is refused', async () => {
		const delivery = signed({ components: ['@path', 'digest'] });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('coverage');
	});

	test('an empty body needs no digest, but still a valid signature', async () => {
		const delivery = signed({ body: '', components: ['@method', '@path'] });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('accepted');
		const unsigned = { ...delivery.headers, signature: vector.headers.signature };
		expect(failedCheck(await verifier()(unsigned, delivery.body))).toBe('signature');
	});

	test('a covered header that is missing is refused', async () => {
		const delivery = signed({ components: ['user-agent', '@method', 'digest'] });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('component');
	});

	test('a component the verifier cannot derive is refused, not guessed', async () => {
		for (const name of ['@status', 'content-type:charset']) {
			const delivery = signed({
				components: [name, '@method', 'digest'],
				headers: { [name]: 'x' },
			});
			expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('component');
		}
	});

	test('a signature by another key under the published keyid fails', async () => {
		const delivery = signed({ signer: newSigner(KID).signer });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('signature');
	});

	test('garbage signature bytes fail as a signature, not as an error', async () => {
		const headers = {
			...vector.headers,
			signature: `sig1=:${Buffer.alloc(138, 7).toString('base64')}:`,
		};
		expect(failedCheck(await verifier()(headers, vector.body))).toBe('signature');
	});

	test('without expires, created + tolerance bounds the signature', async () => {
		const delivery = signed({ created: NOW - 300, expires: undefined });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('accepted');
		const old = signed({ created: NOW - 301, expires: undefined });
		expect(failedCheck(await verifier()(old.headers, old.body))).toBe('freshness');
	});

	test('another label is used when sig1 is absent', async () => {
		const delivery = signed();
		const headers = {
			...delivery.headers,
			'signature-input': delivery.headers['signature-input'].replace('sig1=', 'webhook='),
			signature: delivery.headers.signature.replace('sig1=', 'webhook='),
		};
		expect(failedCheck(await verifier()(headers, delivery.body))).toBe('accepted');
	});

	test('a header sent twice enters the base joined by ", "', async () => {
		const delivery = signed({
			components: ['x-trace', '@method', 'digest'],
			headers: { 'x-trace': 'a, b' },
		});
		const headers: Headers = { ...delivery.headers, 'x-trace': [' a', 'b '] };
		expect(failedCheck(await verifier()(headers, delivery.body))).toBe('accepted');
	});
});

describe('the URL registered with Upvest', () => {
	test('a delivery signed for another path fails', async () => {
		const delivery = signed({ path: '/webhook/other-workflow/webhook' });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('signature');
	});

	test('@path and @query come from the registered URL', async () => {
		const delivery = signed({ path: '/n8n/webhook/abc/webhook', query: 'source=upvest' });
		const registered = new URL('https://n8n.example.com/n8n/webhook/abc/webhook?source=upvest');
		expect(failedCheck(await verifier()(delivery.headers, delivery.body, registered))).toBe(
			'accepted',
		);
		const withoutQuery = new URL('https://n8n.example.com/n8n/webhook/abc/webhook');
		expect(failedCheck(await verifier()(delivery.headers, delivery.body, withoutQuery))).toBe(
			'signature',
		);
	});

	test('@method is the request method, upper-cased', async () => {
		const delivery = signed();
		expect(
			failedCheck(await verifier()(delivery.headers, delivery.body, URL_REGISTERED, 'post')),
		).toBe('accepted');
		expect(
			failedCheck(await verifier()(delivery.headers, delivery.body, URL_REGISTERED, 'PUT')),
		).toBe('signature');
	});
});

describe('signature versions', () => {
	test('a base with quoted (v15-style) names under a v6 delivery is refused', async () => {
		const delivery = signed({ quoteNames: true });
		expect(failedCheck(await verifier()(delivery.headers, delivery.body))).toBe('signature');
	});

	test('a delivery marked upvest-signature-version: 15 is verified as v15', async () => {
		const delivery = signed({ v15: true });
		const result = await verifier()(delivery.headers, delivery.body);
		expect(result).toMatchObject({ ok: true, value: { version: 15 } });
	});

	test('v15 with a v6 (unquoted) base is refused', async () => {
		const v6 = signed();
		const headers = { ...v6.headers, 'upvest-signature-version': '15' };
		expect(failedCheck(await verifier()(headers, v6.body))).toBe('coverage');
	});

	test('v15 with a tampered body fails the content-digest check', async () => {
		const delivery = signed({ v15: true });
		const result = await verifier()(delivery.headers, vector.body.replace('EUR', 'USD'));
		expect(result).toMatchObject({
			check: 'digest',
			reason: expect.stringContaining('content-digest'),
		});
	});
});

describe('replays', () => {
	test('the same signed delivery is accepted once', async () => {
		const verify = verifier();
		expect(failedCheck(await verify(vector.headers, vector.body))).toBe('accepted');
		expect(await verify(vector.headers, vector.body)).toMatchObject({ ok: false, check: 'replay' });
	});

	test('re-encoding the signature (DER to raw) does not make a replay new', async () => {
		const verify = verifier();
		expect(failedCheck(await verify(vector.headers, vector.body))).toBe('accepted');
		const raw = { ...vector.headers, signature: `sig1=:${vector.rawSignature}:` };
		expect(failedCheck(await verify(raw, vector.body))).toBe('replay');
	});

	test('a delivery signed again (new nonce) is not a replay', async () => {
		const verify = verifier();
		const first = signed({ nonce: '1' });
		const second = signed({ nonce: '2' });
		expect(failedCheck(await verify(first.headers, first.body))).toBe('accepted');
		expect(failedCheck(await verify(second.headers, second.body))).toBe('accepted');
	});

	test('the guard forgets what expired, stays bounded, and still refuses a live repeat', () => {
		const guard = new ReplayGuard(3);
		expect(guard.accept('a', 100, 50)).toBe(true);
		expect(guard.accept('b', 200, 50)).toBe(true);
		expect(guard.accept('a', 100, 60)).toBe(false);
		// At 150 'a' has expired: it is forgotten and a new delivery with that base passes.
		expect(guard.accept('c', 300, 150)).toBe(true);
		expect(guard.size).toBe(2);
		expect(guard.accept('b', 200, 150)).toBe(false);
		expect(guard.accept('d', 400, 150)).toBe(true);
		expect(guard.accept('e', 400, 150)).toBe(true);
		expect(guard.size).toBe(3);
		expect(guard.accept('e', 400, 160)).toBe(false);
	});

	test('a refused delivery is not remembered', async () => {
		const guard = new ReplayGuard();
		const verify = verifier({ guard });
		await verify({ ...vector.headers, digest: 'SHA-256=AAAA' }, vector.body);
		expect(guard.size).toBe(0);
		expect(failedCheck(await verify(vector.headers, vector.body))).toBe('accepted');
	});
});
