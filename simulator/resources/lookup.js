'use strict';

/** Finding a resource by the id in its path: 400 for an id that is not a UUID, 404 for none. */

const { isUuid } = require('../validation');
const { problem, jsonResponse } = require('../http/wire');

/**
 * @param byId Map of lower-case id -> resource
 * @param where {{ param: string, noun: string }} e.g. { param: 'role_id', noun: 'Role' }
 * @returns {{ item } | { response }}
 */
function lookup(byId, id, { param, noun }) {
	if (!isUuid(id)) return { response: problem(400, `${param} must be a UUID`) };
	const item = byId.get(id.toLowerCase());
	if (!item) return { response: problem(404, `${noun} ${id} not found`) };
	return { item };
}

/** The GET /<resources>/{<param>} route: 200 with the resource as it is now. */
function getByIdRoute({ path, param, noun, scopes, guard, byId }) {
	return {
		method: 'GET',
		path,
		handler: (ctx) =>
			guard.call(ctx, scopes, () => {
				const found = lookup(byId, ctx.params[param], { param, noun });
				return found.response || jsonResponse(200, found.item);
			}),
	};
}

module.exports = { lookup, getByIdRoute };
