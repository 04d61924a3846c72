import { generateKeyPairSync } from 'node:crypto';

import { ReplayGuard } from '../../../nodes/Upvest/trigger/replayGuard';
import { parseVerifyKeys, VerifyKeyCache } from '../../../nodes/Upvest/trigger/verifyKeys';
import { newSigner } from './webhook-signer';
import vector from './webhook-vector.json';

const KID = vector.jwks.keys[0].kid;

/** A cache on a hand-moved clock, and a fake Upvest whose JWKS and failures the test sets. */
function setup() {
	const clock = { ms: 1_700_000_000_000 };
	const upvest = {
		jwks: vector.jwks as object,
		fetches: 0,
		failWith: undefined as Error | undefined,
	};
	const cache = new VerifyKeyCache({ now: () => clock.ms, minFetchIntervalMs: 30_000 });
	const fetchKeys = async () => {
		upvest.fetches++;
		if (upvest.failWith) throw upvest.failWith;
		return upvest.jwks;
	};
	const lookup = async (kid: string, scope = 'credential-1') =>
		await cache.lookup(scope, kid, fetchKeys);
	return { clock, upvest, cache, lookup };
}

describe('verify key cache', () => {
	test('fetches the keys once and serves them from the cache', async () => {
		const { upvest, lookup } = setup();
		for (let i = 0; i < 5; i++) expect((await lookup(KID)).ok).toBe(true);
		expect(upvest.fetches).toBe(1);
	});

	test('concurrent first lookups share one fetch', async () => {
		const { upvest, lookup } = setup();
		const results = await Promise.all(Array.from({ length: 20 }, async () => await lookup(KID)));
		expect(results.every((result) => result.ok)).toBe(true);
		expect(upvest.fetches).toBe(1);
	});

	test('a flood of unknown key ids causes at most one fetch per interval', async () => {
		const { clock, upvest, lookup } = setup();
		await lookup(KID);
		expect(upvest.fetches).toBe(1);

		// Within the interval after the first fetch: refused without asking Upvest.
		clock.ms += 1_000;
		const early = await Promise.all(
			Array.from({ length: 100 }, async (_, i) => await lookup(`forged-${i}`)),
		);
		expect(early.every((result) => !result.ok && result.check === 'keyid')).toBe(true);
		expect(upvest.fetches).toBe(1);

		// Once the interval has passed, 100 concurrent unknown ids share a single refetch.
		clock.ms += 30_000;
		const later = await Promise.all(
			Array.from({ length: 100 }, async (_, i) => await lookup(`forged-again-${i}`)),
		);
		expect(later.every((result) => !result.ok && result.check === 'keyid')).toBe(true);
		expect(upvest.fetches).toBe(2);

		// A known key still verifies throughout, without fetching.
		expect((await lookup(KID)).ok).toBe(true);
		expect(upvest.fetches).toBe(2);
	});

	test('a rotated key: the new kid is unknown, one refetch finds it', async () => {
		const { clock, upvest, lookup } = setup();
		await lookup(KID);
		const rotated = newSigner('rotated-kid');
		upvest.jwks = { keys: [...vector.jwks.keys, rotated.jwk] };
		clock.ms += 31_000;
		const result = await lookup('rotated-kid');
		expect(result.ok).toBe(true);
		expect(upvest.fetches).toBe(2);
		expect((await lookup(KID)).ok).toBe(true);
		expect(upvest.fetches).toBe(2);
	});

	test('a key rotated right after a fetch is accepted once the interval has passed', async () => {
		const { clock, upvest, lookup } = setup();
		await lookup(KID);
		upvest.jwks = { keys: [newSigner('rotated-kid').jwk] };
		clock.ms += 5_000;
		expect(await lookup('rotated-kid')).toMatchObject({ ok: false, check: 'keyid' });
		clock.ms += 25_000;
		expect((await lookup('rotated-kid')).ok).toBe(true);
		// The retired key is gone with the refetch.
		expect(await lookup(KID)).toMatchObject({ ok: false, check: 'keyid' });
		expect(upvest.fetches).toBe(2);
	});

	test('a failed fetch refuses the delivery, keeps the cause for the log, and is retried after the interval', async () => {
		const { clock, upvest, lookup } = setup();
		upvest.failWith = new Error('403 Forbidden');
		const refused = await lookup(KID);
		expect(refused).toMatchObject({ ok: false, check: 'verify-keys', cause: upvest.failWith });
		expect(JSON.stringify({ ...refused, cause: undefined })).not.toContain('403');

		clock.ms += 10_000;
		expect(await lookup(KID)).toMatchObject({ ok: false, check: 'verify-keys' });
		expect(upvest.fetches).toBe(1);

		upvest.failWith = undefined;
		clock.ms += 20_000;
		expect((await lookup(KID)).ok).toBe(true);
		expect(upvest.fetches).toBe(2);
	});

	test('keys older than the maximum age are fetched again; if that fails, nothing verifies', async () => {
		const { clock, upvest, lookup } = setup();
		await lookup(KID);
		clock.ms += 60 * 60_000;
		upvest.failWith = new Error('network down');
		expect(await lookup(KID)).toMatchObject({ ok: false, check: 'verify-keys' });
		upvest.failWith = undefined;
		clock.ms += 30_000;
		expect((await lookup(KID)).ok).toBe(true);
		expect(upvest.fetches).toBe(3);
	});

	test('the refusals say why: an unknown keyid, or keys that could not be fetched', async () => {
		const { clock, upvest, lookup } = setup();
		expect(await lookup('unknown')).toEqual({
			ok: false,
			check: 'keyid',
			reason: "the keyid is not one of Upvest's verify keys",
		});
		// A refetch that fails while the keys held are still fresh: the unknown keyid may be new.
		clock.ms += 30_000;
		upvest.failWith = new Error('timeout');
		expect(await lookup('unknown')).toEqual({
			ok: false,
			check: 'verify-keys',
			reason: "Upvest's verify keys could not be fetched",
			cause: upvest.failWith,
		});
		expect((await lookup(KID)).ok).toBe(true);
		expect(upvest.fetches).toBe(2);
	});

	test('a fetch that fails without any error still counts as failed', async () => {
		const cache = new VerifyKeyCache({ now: () => 0 });
		const result = await cache.lookup('c', KID, async () => await Promise.reject(undefined));
		expect(result).toMatchObject({ ok: false, check: 'verify-keys' });
	});

	test('without a minimum interval, a lookup waits for the fetch under way instead of starting its own', async () => {
		const { upvest } = setup();
		const cache = new VerifyKeyCache({ now: () => 1_700_000_000_000, minFetchIntervalMs: 0 });
		const fetchKeys = async () => {
			upvest.fetches++;
			return upvest.jwks;
		};
		const results = await Promise.all(
			['a', 'b', 'c'].map(
				async (kid) => await cache.lookup('credential', `unknown-${kid}`, fetchKeys),
			),
		);
		expect(results.every((result) => !result.ok && result.check === 'keyid')).toBe(true);
		// The first fetch served all three; the second lookup, allowed to refetch at once for its
		// unknown keyid, fetched again; the third waited for that fetch instead of a third one.
		expect(upvest.fetches).toBe(2);
	});

	test('each credential has its own keys and its own fetch budget', async () => {
		const { upvest, lookup } = setup();
		await lookup(KID, 'credential-1');
		await lookup(KID, 'credential-2');
		expect(upvest.fetches).toBe(2);
	});

	test('clear() forgets every credential', async () => {
		const { upvest, cache, lookup } = setup();
		await lookup(KID);
		cache.clear();
		await lookup(KID);
		expect(upvest.fetches).toBe(2);
	});
});

describe('parsing the JWKS', () => {
	test('keeps EC P-521 keys by kid and skips everything else', () => {
		const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
			format: 'jwk',
		});
		const good = vector.jwks.keys[0];
		const keys = parseVerifyKeys({
			keys: [
				good,
				{ ...p256, kid: 'p256' },
				{ ...p256, crv: 'P-521', kid: 'p256-claiming-p521' },
				{ ...good, crv: 'P-256', kid: 'p521-labelled-p256' },
				{ ...good, kty: 'OKP', kid: 'p521-labelled-okp' },
				{ ...good, kid: 'off-curve', y: good.x },
				{ kty: 'RSA', kid: 'rsa', n: 'AQAB', e: 'AQAB' },
				{ ...good, kid: undefined },
				null,
				'text',
			],
		});
		expect([...keys.keys()]).toEqual([KID]);
	});

	test.each([[null], [{}], [{ keys: 'none' }], ['text']])('%p is not a JWKS', (jwks) => {
		expect(() => parseVerifyKeys(jwks)).toThrow('no "keys" list');
	});

	test('an empty key list means every keyid is unknown', async () => {
		const cache = new VerifyKeyCache();
		const result = await cache.lookup('c', KID, async () => ({ keys: [] }));
		expect(result).toMatchObject({ ok: false, check: 'keyid' });
	});
});

describe('replay guard', () => {
	test('remembers a base until its validity ends, then forgets it', () => {
		const guard = new ReplayGuard();
		expect(guard.accept('base', 1000, 900)).toBe(true);
		expect(guard.accept('base', 1000, 1000)).toBe(false);
		expect(guard.accept('other', 1000, 1000)).toBe(true);
		expect(guard.accept('base', 2000, 1001)).toBe(true);
		expect(guard.size).toBe(1);
	});

	test('is bounded: beyond its size the oldest entries go', () => {
		const guard = new ReplayGuard(3);
		for (const base of ['a', 'b', 'c', 'd']) expect(guard.accept(base, 1000, 0)).toBe(true);
		expect(guard.size).toBe(3);
		expect(guard.accept('d', 1000, 0)).toBe(false);
		expect(guard.accept('a', 1000, 0)).toBe(true);
	});
});
