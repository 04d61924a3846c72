/**
 * Verifies one signed webhook delivery, fail closed: the first check that fails decides, and a
 * delivery passes only when every check did. Cheap checks run before the key lookup, which may
 * call Upvest.
 */
import type { KeyObject } from 'node:crypto';

import { checkBodyDigest } from './bodyDigest';
import { fail, ok, type Result } from './checks';
import { verifyP521 } from './ecdsa';
import type { ReplayGuard } from './replayGuard';
import {
	buildSignatureBase,
	headerValue,
	signatureVersion,
	type SignatureVersion,
	type SignedRequest,
} from './signatureBase';
import { parseSignatureHeaders } from './signatureHeaders';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerificationContext {
	/** The verify key for a `keyid`, e.g. `VerifyKeyCache.lookup` bound to the credential. */
	lookupKey: (keyId: string) => Promise<Result<KeyObject>>;
	replayGuard: ReplayGuard;
	/** Allowed clock skew and delivery delay around `created` and `expires`. */
	toleranceSeconds: number;
	/** Unix seconds. */
	now: number;
}

export interface VerifiedDelivery {
	keyId: string;
	created: number;
	expires?: number;
	version: SignatureVersion;
	components: string[];
}

export async function verifyDelivery(
	request: SignedRequest,
	context: VerificationContext,
): Promise<Result<VerifiedDelivery>> {
	const parsed = parseSignatureHeaders(
		headerValue(request.headers, 'signature-input'),
		headerValue(request.headers, 'signature'),
	);
	if (!parsed.ok) return parsed;
	const { input, signature } = parsed.value;
	const version = signatureVersion(request.headers, input.components);

	if (!input.components.includes('@method')) {
		return fail('coverage', 'the signature does not cover @method');
	}
	const digest = checkBodyDigest(request, input.components, version);
	if (!digest.ok) return digest;

	const { now, toleranceSeconds } = context;
	// Without expires the signature is good for the tolerance after created, no longer.
	const expires = input.expires ?? input.created;
	if (now > expires + toleranceSeconds) return fail('freshness', 'the signature has expired');
	if (input.created > now + toleranceSeconds) {
		return fail('freshness', 'the signature was created in the future');
	}

	const base = buildSignatureBase(request, input, version);
	if (!base.ok) return base;
	const key = await context.lookupKey(input.keyId);
	if (!key.ok) return key;
	if (!verifyP521(base.value, signature, key.value)) {
		return fail('signature', 'the signature does not match the delivery');
	}
	if (!context.replayGuard.accept(base.value, expires + toleranceSeconds, now)) {
		return fail('replay', 'this signed delivery was already accepted');
	}
	return ok({
		keyId: input.keyId,
		created: input.created,
		expires: input.expires,
		version,
		components: input.components,
	});
}
