'use strict';

/**
 * Shared parts of seeding (POST /__simulator/seed): the spec fields every resource accepts and
 * timestamps spread so that sorting by created_at and by updated_at give different orders.
 */

const { isUuid } = require('../validation');

const MAX_SEED = 1000000;

function optionalUuid(spec, name, where) {
	if (spec[name] === undefined) return undefined;
	if (!isUuid(spec[name])) throw new TypeError(`${where}.${name} must be a UUID`);
	return spec[name].toLowerCase();
}

function optionalEnum(spec, name, allowed, where) {
	if (spec[name] === undefined) return undefined;
	if (!allowed.includes(spec[name]))
		throw new TypeError(`${where}.${name} must be one of ${allowed.join(', ')}`);
	return spec[name];
}

/** The optional owner of a seed spec: userId or businessId, not both. */
function seedOwner(spec, where) {
	const userId = optionalUuid(spec, 'userId', where);
	const businessId = optionalUuid(spec, 'businessId', where);
	if (userId && businessId) throw new TypeError(`${where}: give userId or businessId, not both`);
	return { userId, businessId };
}

const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

/**
 * Checks the common fields { count, createdFrom?, spacingMs? } and the allowed `fields`.
 * @returns a function i -> { created_at, updated_at } for the i-th seeded item
 */
function seedClock(spec, where, fields) {
	if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
		throw new TypeError(`${where} must be an object`);
	for (const key of Object.keys(spec)) {
		if (!['count', 'createdFrom', 'spacingMs', ...fields].includes(key))
			throw new TypeError(`${where}.${key} is not a seed option`);
	}
	const { count, spacingMs = 1000 } = spec;
	if (!Number.isInteger(count) || count < 0 || count > MAX_SEED)
		throw new TypeError(`${where}.count must be an integer between 0 and ${MAX_SEED}`);
	if (!Number.isInteger(spacingMs) || spacingMs < 1)
		throw new TypeError(`${where}.spacingMs must be a positive integer`);
	// By default the seeded history ends now: created times first, then the updates.
	let start = Date.now() - 2 * count * spacingMs;
	if (spec.createdFrom !== undefined) {
		start = Date.parse(spec.createdFrom);
		if (typeof spec.createdFrom !== 'string' || Number.isNaN(start))
			throw new TypeError(`${where}.createdFrom must be an ISO date-time`);
	}
	// updated_at follows a fixed permutation of the items (i * step mod count, step coprime to
	// count), all after the last created_at, so the two sorts really differ.
	let step = 7919;
	while (count > 1 && gcd(step, count) > 1) step++;
	return (i) => ({
		created_at: new Date(start + i * spacingMs).toISOString(),
		updated_at: new Date(
			start + (count + ((i * step) % Math.max(count, 1))) * spacingMs,
		).toISOString(),
	});
}

module.exports = { seedClock, seedOwner, optionalUuid, optionalEnum };
