'use strict';

/**
 * The store of one kind of resource: the live state array (creation order) and an index by
 * lower-case id, with the lookups the API (400/404 problems) and the admin API (thrown errors)
 * make.
 */

const { isUuid } = require('../validation');
const { notFound } = require('../http/wire');
const { lookup } = require('./lookup');

/**
 * @param items the live state array (mutated in place, never replaced)
 * @param where {{ param: string, noun: string }} e.g. { param: 'user_id', noun: 'User' }
 */
function createStore(items, where) {
	const byId = new Map();
	return {
		items,
		byId,
		where,
		add(item) {
			items.push(item);
			byId.set(item.id, item);
			return item;
		},
		/** The resource with this id (any case), or undefined. */
		get: (id) => (isUuid(id) ? byId.get(id.toLowerCase()) : undefined),
		/** For the API: { item } or { response } (400 not a UUID, 404 unknown). */
		find: (id) => lookup(byId, id, where),
		/** For the admin API: moves the resource to `status` now, with that status's event. */
		setStatus(id, status, statuses, lifecycle) {
			if (!statuses.includes(status))
				throw new TypeError(`status must be one of ${statuses.join(', ')}`);
			const item = isUuid(id) ? byId.get(id.toLowerCase()) : undefined;
			if (!item) throw notFound(`${where.noun} ${id} not found`);
			lifecycle.move(item, status);
			return item;
		},
		reset() {
			items.length = 0;
			byId.clear();
		},
	};
}

module.exports = { createStore };
