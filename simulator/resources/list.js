'use strict';

/**
 * Upvest's list endpoints: the query (offset, limit, sort, order and per-list filters), sorting
 * with ties broken by creation order, and the `{meta, data}` envelope.
 */

const { isUuid } = require('../validation');
const { problem, jsonResponse } = require('../http/wire');

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
const ORDERS = ['ASC', 'DESC'];

/** Filter validators for query parameters that narrow a list. */
const uuidFilter = (name) => (value) => (isUuid(value) ? null : `${name} must be a UUID`);

/**
 * @param query raw query text (null = none)
 * @param options {{ sorts: string[], filters?: Record<string, (value: string) => string|null> }}
 * @returns {{ ok: true, value: { offset, limit, sort, order, filters } } | { ok: false, response }}
 */
function parseListQuery(query, { sorts, filters = {} }) {
	const params = new URLSearchParams(query || '');
	const fail = (detail) => ({ ok: false, response: problem(400, detail) });
	const value = { offset: 0, limit: DEFAULT_LIMIT, sort: sorts[0], order: 'ASC', filters: {} };
	const seen = new Set();
	for (const [name, raw] of params) {
		if (seen.has(name)) return fail(`${name} must be given once`);
		seen.add(name);
		if (name === 'offset') {
			if (!/^[0-9]{1,15}$/.test(raw)) return fail('offset must be an integer >= 0');
			value.offset = Number(raw);
		} else if (name === 'limit') {
			if (!/^[0-9]{1,15}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
				return fail(`limit must be an integer between 1 and ${MAX_LIMIT}`);
			}
			value.limit = Number(raw);
		} else if (name === 'sort') {
			if (!sorts.includes(raw)) return fail(`sort must be one of ${sorts.join(', ')}`);
			value.sort = raw;
		} else if (name === 'order') {
			if (!ORDERS.includes(raw)) return fail(`order must be one of ${ORDERS.join(', ')}`);
			value.order = raw;
		} else if (Object.prototype.hasOwnProperty.call(filters, name)) {
			const error = filters[name](raw);
			if (error) return fail(error);
			value.filters[name] = raw;
		} else {
			return fail(`Unknown query parameter: ${name}`);
		}
	}
	return { ok: true, value };
}

function compareValues(a, b) {
	if (a === b) return 0;
	if (a === undefined || a === null) return -1;
	if (b === undefined || b === null) return 1;
	return a < b ? -1 : 1;
}

/**
 * One page of `items` (given in creation order) as the list envelope. ASC sorts by the field
 * with ties in creation order; DESC is exactly the reverse, so paging either way is stable.
 * A page holds at most min(limit, maxPageSize) items.
 */
function listResponse(items, { offset, limit, sort, order }, maxPageSize) {
	// Array.prototype.sort is stable: equal values keep their creation order.
	const sorted = [...items].sort((a, b) => compareValues(a[sort], b[sort]));
	if (order === 'DESC') sorted.reverse();
	const data = sorted.slice(offset, offset + Math.min(limit, maxPageSize));
	return jsonResponse(200, {
		meta: { offset, limit, count: data.length, total_count: items.length, sort, order },
		data,
	});
}

/** Parses the query and answers the page, or the 400 naming the bad parameter. */
function listEndpoint(query, options, select, maxPageSize) {
	const parsed = parseListQuery(query, options);
	if (!parsed.ok) return parsed.response;
	return listResponse(select(parsed.value.filters), parsed.value, maxPageSize);
}

module.exports = { parseListQuery, listResponse, listEndpoint, uuidFilter, MAX_LIMIT };
