/**
 * Drops events whose id was already passed on: Upvest redelivers a whole batch when an answer is
 * lost, and handlers must be idempotent on the event id
 * (https://docs.upvest.co/documentation/getting_started/implementing_webhooks/implementing_a_webhook_handler).
 * Two bounded stores: the workflow's static data (survives restarts, saved by n8n after the
 * delivery) and an in-process map (covers a redelivery that arrives before that save).
 */
import type { UpvestEvent } from './delivery';

export interface SeenEventsLimits {
	maxEntries: number;
	maxAgeSeconds: number;
}

export const DEFAULT_SEEN_EVENTS_LIMITS: SeenEventsLimits = {
	maxEntries: 10_000,
	maxAgeSeconds: 7 * 24 * 60 * 60,
};

/** Event id → Unix seconds it was first passed on; insertion order is oldest first. */
export type SeenEventRecord = Record<string, number>;

export interface SeenEventStores {
	/** Kept in the workflow's static data. */
	persistent: SeenEventRecord;
	/** Kept in this process, per trigger node. */
	memory: Map<string, number>;
}

/** Forgets ids older than the age limit, then the oldest ones beyond the size limit. */
function trim(
	entries: Iterable<[string, number]>,
	size: number,
	forget: (id: string) => void,
	now: number,
	limits: SeenEventsLimits,
): void {
	let excess = size - limits.maxEntries;
	for (const [id, at] of entries) {
		if (excess > 0 || now - at > limits.maxAgeSeconds) {
			forget(id);
			excess--;
		}
	}
}

function trimStores(
	{ persistent, memory }: SeenEventStores,
	now: number,
	limits: SeenEventsLimits,
) {
	const entries = Object.entries(persistent);
	trim(entries, entries.length, (id) => delete persistent[id], now, limits);
	trim(memory, memory.size, (id) => memory.delete(id), now, limits);
}

/**
 * The events not seen before, in their order, each remembered in both stores. Events without a
 * string id cannot be recognised again and always pass. Also drops repeats within one batch.
 */
export function dropSeenEvents(
	events: UpvestEvent[],
	stores: SeenEventStores,
	now: number,
	limits: SeenEventsLimits = DEFAULT_SEEN_EVENTS_LIMITS,
): UpvestEvent[] {
	const { persistent, memory } = stores;
	trimStores(stores, now, limits);
	const fresh = events.filter((event) => {
		const id = event.id;
		if (typeof id !== 'string' || id === '' || id === '__proto__') return true;
		if (Object.prototype.hasOwnProperty.call(persistent, id) || memory.has(id)) return false;
		persistent[id] = now;
		memory.set(id, now);
		return true;
	});
	trimStores(stores, now, limits);
	return fresh;
}

/** Per-process memory of seen ids, one map per trigger node (workflow id + node id). */
export class SeenEventsMemory {
	private readonly maps = new Map<string, Map<string, number>>();

	forNode(scope: string): Map<string, number> {
		let map = this.maps.get(scope);
		if (map === undefined) {
			map = new Map();
			this.maps.set(scope, map);
		}
		return map;
	}
}
