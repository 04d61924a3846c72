/**
 * Upvest's webhook verify keys (`GET /auth/verify_keys`, a JWKS of EC P-521 keys), cached per
 * credential. An unknown `keyid` fetches the set again, but at most once per interval and
 * credential, and concurrent lookups share one fetch: a flood of made-up key ids cannot make n8n
 * hammer Upvest. A failed fetch never lets a delivery through.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

import { fail, ok, type Result } from './checks';
import { isP521Key } from './ecdsa';

/** Returns the parsed JSON body of `GET /auth/verify_keys`; throws when the call fails. */
export type FetchVerifyKeys = () => Promise<unknown>;

export interface VerifyKeyCacheOptions {
	/** At most one fetch per credential within this interval, refetches for unknown key ids included. */
	minFetchIntervalMs: number;
	/** Keys older than this are fetched again before use, so a withdrawn key stops being accepted. */
	maxAgeMs: number;
	/** Milliseconds since the epoch. */
	now: () => number;
}

export const DEFAULT_VERIFY_KEY_CACHE_OPTIONS: VerifyKeyCacheOptions = {
	minFetchIntervalMs: 30_000,
	maxAgeMs: 60 * 60_000,
	now: () => Date.now(),
};

interface Entry {
	keys?: Map<string, KeyObject>;
	loadedAt: number;
	lastFetchAt?: number;
	fetching?: Promise<void>;
	/** Why the last fetch failed; cleared by the next success. */
	lastError?: unknown;
}

/** Keeps the EC P-521 keys of a JWKS by `kid`; other entries are skipped, a malformed set throws. */
export function parseVerifyKeys(jwks: unknown): Map<string, KeyObject> {
	const list = (jwks as { keys?: unknown } | null)?.keys;
	if (!Array.isArray(list)) throw new Error('the verify keys answer has no "keys" list');
	const keys = new Map<string, KeyObject>();
	for (const jwk of list as Array<Record<string, unknown>>) {
		if (jwk?.kty !== 'EC' || jwk.crv !== 'P-521' || typeof jwk.kid !== 'string') continue;
		if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') continue;
		try {
			const key = createPublicKey({
				key: { kty: 'EC', crv: 'P-521', x: jwk.x, y: jwk.y },
				format: 'jwk',
			});
			if (isP521Key(key)) keys.set(jwk.kid, key);
		} catch {
			// A point off the curve or bad base64url: that key cannot verify anything.
		}
	}
	return keys;
}

export class VerifyKeyCache {
	private readonly entries = new Map<string, Entry>();

	private readonly options: VerifyKeyCacheOptions;

	constructor(options: Partial<VerifyKeyCacheOptions> = {}) {
		this.options = { ...DEFAULT_VERIFY_KEY_CACHE_OPTIONS, ...options };
	}

	/** The key for `keyId` under the credential named by `scope`, fetching the set when needed and allowed. */
	async lookup(
		scope: string,
		keyId: string,
		fetchKeys: FetchVerifyKeys,
	): Promise<Result<KeyObject>> {
		let entry = this.entries.get(scope);
		if (entry === undefined) {
			entry = { loadedAt: 0 };
			this.entries.set(scope, entry);
		}
		if (entry.fetching) await entry.fetching;
		const cached = this.usableKey(entry, keyId);
		if (cached) return ok(cached);

		if (entry.fetching === undefined) {
			if (!this.mayFetch(entry)) return this.refusal(entry);
			entry.fetching = this.fetch(entry, fetchKeys);
		}
		await entry.fetching;
		const fetched = this.usableKey(entry, keyId);
		return fetched ? ok(fetched) : this.refusal(entry);
	}

	/** Forgets every credential's keys (tests, or a credential that changed). */
	clear(): void {
		this.entries.clear();
	}

	private fresh(entry: Entry): boolean {
		return entry.keys !== undefined && this.options.now() - entry.loadedAt < this.options.maxAgeMs;
	}

	private usableKey(entry: Entry, keyId: string): KeyObject | undefined {
		return this.fresh(entry) ? entry.keys?.get(keyId) : undefined;
	}

	private mayFetch(entry: Entry): boolean {
		return (
			entry.lastFetchAt === undefined ||
			this.options.now() - entry.lastFetchAt >= this.options.minFetchIntervalMs
		);
	}

	private async fetch(entry: Entry, fetchKeys: FetchVerifyKeys): Promise<void> {
		entry.lastFetchAt = this.options.now();
		try {
			const keys = parseVerifyKeys(await fetchKeys());
			entry.keys = keys;
			entry.loadedAt = this.options.now();
			entry.lastError = undefined;
		} catch (error) {
			entry.lastError = error;
		} finally {
			entry.fetching = undefined;
		}
	}

	private refusal(entry: Entry) {
		if (entry.lastError !== undefined || !this.fresh(entry)) {
			return fail('verify-keys', "Upvest's verify keys could not be fetched", entry.lastError);
		}
		return fail('keyid', "the keyid is not one of Upvest's verify keys");
	}
}
