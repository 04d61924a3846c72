/**
 * Remembers the deliveries already accepted until their signature could no longer pass the
 * freshness check, so the same signed delivery sent again is refused. Bounded: when full, the
 * oldest entries go first. Keyed by a hash of the signature base, not of the signature bytes,
 * because one ECDSA signature has several valid encodings (DER or raw, s or n-s).
 */
import { createHash } from 'node:crypto';

export const DEFAULT_REPLAY_GUARD_SIZE = 10_000;

export class ReplayGuard {
	/** Base hash → the second after which the delivery would be stale anyway. Insertion ordered. */
	private readonly seen = new Map<string, number>();

	constructor(private readonly maxEntries = DEFAULT_REPLAY_GUARD_SIZE) {}

	/** True if this signed base was not accepted before (and remembers it); false for a replay. */
	accept(base: string, validUntil: number, nowSeconds: number): boolean {
		this.forgetExpiredOldest(nowSeconds);
		const key = createHash('sha256').update(base).digest('base64');
		const until = this.seen.get(key);
		if (until !== undefined && until >= nowSeconds) return false;
		this.seen.delete(key);
		this.seen.set(key, validUntil);
		while (this.seen.size > this.maxEntries) {
			this.seen.delete(this.seen.keys().next().value as string);
		}
		return true;
	}

	get size(): number {
		return this.seen.size;
	}

	/**
	 * Drops expired entries from the oldest end only: deliveries arrive roughly in the order their
	 * validity ends, so this keeps each call cheap instead of scanning every entry. An expired entry
	 * behind a live one waits for its turn or for the size bound, and still never refuses anything.
	 */
	private forgetExpiredOldest(nowSeconds: number): void {
		for (const [key, until] of this.seen) {
			if (until >= nowSeconds) return;
			this.seen.delete(key);
		}
	}
}
