/**
 * The trigger's verifier (verifyDelivery) as the webhook runs it, at a fixed clock, with the
 * vector's key published by a fake Upvest, and deliveries signed by the independent test signer
 * (webhook-signer.ts).
 */
import { ReplayGuard } from '../../../nodes/Upvest/trigger/replayGuard';
import { verifyDelivery } from '../../../nodes/Upvest/trigger/verifyDelivery';
import { VerifyKeyCache } from '../../../nodes/Upvest/trigger/verifyKeys';
import { signDelivery, vectorSigner, type DeliveryToSign } from './webhook-signer';
import vector from './webhook-vector.json';

export const KID = vector.jwks.keys[0].kid;
export const NOW = vector.now;
export const URL_REGISTERED = new URL(vector.url);

export type Headers = Record<string, string | string[] | undefined>;

/** verifyDelivery with a tolerance of 300 s at `now` (default: the vector's). */
export function verifier(options: { jwks?: object; now?: number; guard?: ReplayGuard } = {}) {
	const now = options.now ?? NOW;
	const cache = new VerifyKeyCache({ now: () => now * 1000 });
	const guard = options.guard ?? new ReplayGuard();
	return async (headers: Headers, body: Buffer | string, url = URL_REGISTERED, method = 'POST') =>
		await verifyDelivery(
			{ method, url, headers, body: Buffer.from(body) },
			{
				lookupKey: async (kid) =>
					await cache.lookup('credential', kid, async () => options.jwks ?? vector.jwks),
				replayGuard: guard,
				toleranceSeconds: 300,
				now,
			},
		);
}

/** Signs a delivery with the vector's key, fresh at NOW, on the registered path. */
export function signed(overrides: Partial<DeliveryToSign> = {}) {
	return signDelivery({
		signer: vectorSigner(),
		keyId: KID,
		body: vector.body,
		created: NOW - 5,
		expires: NOW + 55,
		nonce: '1234567890',
		...overrides,
	});
}

/** 'accepted', or the name of the check that refused the delivery. */
export function failedCheck(result: Awaited<ReturnType<ReturnType<typeof verifier>>>) {
	return result.ok ? 'accepted' : result.check;
}
