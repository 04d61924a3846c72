'use strict';

/**
 * Matches a request path against route patterns such as `/account_groups/{account_group_id}`
 * and answers 404 or 405 (with `allow`) the way the API does when nothing matches.
 */

const { problem } = require('./wire');

function compile(pattern) {
	const names = [];
	const source = pattern
		.split('/')
		.map((segment) => {
			const param = /^\{([a-z_]+)\}$/.exec(segment);
			if (!param) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
			names.push(param[1]);
			return '([^/]+)';
		})
		.join('/');
	return { regex: new RegExp(`^${source}$`), names };
}

function decodeSegment(raw) {
	try {
		return decodeURIComponent(raw);
	} catch {
		return raw; // malformed escapes stay as sent and fail the id check
	}
}

/**
 * @param routes {Array<{ method: string, path: string, handler: (ctx) => any }>}
 * @returns {(method: string, path: string) => { handler, params } | { response }}
 */
function createRouter(routes) {
	const byPattern = new Map();
	for (const route of routes) {
		let entry = byPattern.get(route.path);
		if (!entry) {
			entry = { ...compile(route.path), methods: new Map() };
			byPattern.set(route.path, entry);
		}
		if (entry.methods.has(route.method))
			throw new Error(`duplicate route ${route.method} ${route.path}`);
		entry.methods.set(route.method, route.handler);
	}

	return function match(method, path) {
		for (const entry of byPattern.values()) {
			const found = entry.regex.exec(path);
			if (!found) continue;
			const handler = entry.methods.get(method);
			if (!handler) {
				return {
					response: problem(405, `Method ${method} is not allowed on ${path}`, {
						headers: { allow: [...entry.methods.keys()].join(', ') },
					}),
				};
			}
			const params = {};
			entry.names.forEach((name, i) => {
				params[name] = decodeSegment(found[i + 1]);
			});
			return { handler, params };
		}
		return { response: problem(404, `No endpoint at ${path}`) };
	};
}

module.exports = { createRouter };
