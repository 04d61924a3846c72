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
 * Parses a query whose parameters each appear at most once: `params` maps a name to a function
 * (raw) => { value } | { error }. Unknown, repeated or bad parameters give the 400 naming them.
 * @returns {{ ok: true, value: Record<name, value> } | { ok: false, response }}
 */
function parseQuery(query, params) {
	const fail = (detail) => ({ ok: false, response: problem(400, detail) });
	const value = {};
	for (const [name, raw] of new URLSearchParams(query || '')) {
		if (Object.prototype.hasOwnProperty.call(value, name))
			return fail(`${name} must be given once`);
		if (!Object.prototype.hasOwnProperty.call(params, name))
			return fail(`Unknown query parameter: ${name}`);
		const parsed = params[name](raw);
		if (parsed.error) return fail(parsed.error);
		value[name] = parsed.value;
	}
	return { ok: true, value };
}

/** A parameter that takes one of `allowed`. */
const oneOfParam = (name, allowed) => (raw) =>
	allowed.includes(raw)
		? { value: raw }
		: { error: `${name} must be one of ${allowed.join(', ')}` };

/** A parameter of a whole number in [min, max]. */
const integerParam = (name, min, max, rule) => (raw) =>
	/^[0-9]{1,15}$/.test(raw) && Number(raw) >= min && Number(raw) <= max
		? { value: Number(raw) }
		: { error: `${name} must be ${rule}` };

/**
 * @param query raw query text (null = none)
 * @param options {{ sorts: string[], filters?: Record<string, (value: string) => string|null> }}
 * @returns {{ ok: true, value: { offset, limit, sort, order, filters } } | { ok: false, response }}
 */
function parseListQuery(query, { sorts, filters = {} }) {
	const params = {
		offset: integerParam('offset', 0, Number.MAX_SAFE_INTEGER, 'an integer >= 0'),
		limit: integerParam('limit', 1, MAX_LIMIT, `an integer between 1 and ${MAX_LIMIT}`),
		sort: oneOfParam('sort', sorts),
		order: oneOfParam('order', ORDERS),
	};
	for (const [name, check] of Object.entries(filters)) {
		params[name] = (raw) => {
			const error = check(raw);
			return error ? { error } : { value: raw };
		};
	}
	const parsed = parseQuery(query, params);
	if (!parsed.ok) return parsed;
	const {
		offset = 0,
		limit = DEFAULT_LIMIT,
		sort = sorts[0],
		order = 'ASC',
		...rest
	} = parsed.value;
	return { ok: true, value: { offset, limit, sort, order, filters: rest } };
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

/**
 * The GET route of a list of `items` (the live state array, in creation order), sorted by
 * `sorts`. With `param` and `matches`, the list of one owner's items: the owner's id is that path
 * parameter (400 when it is not a UUID), `matches(item, lower-case id)` picks the owner's items.
 */
function listRoute({ path, scopes, guard, getConfig, sorts, items, param, matches }) {
	const page = (ctx, select) => listEndpoint(ctx.query, { sorts }, select, getConfig().maxPageSize);
	const answer = (ctx) => {
		if (!param) return page(ctx, () => items);
		const id = ctx.params[param];
		if (!isUuid(id)) return problem(400, `${param} must be a UUID`);
		return page(ctx, () => items.filter((item) => matches(item, id.toLowerCase())));
	};
	return { method: 'GET', path, handler: (ctx) => guard.call(ctx, scopes, () => answer(ctx)) };
}

module.exports = {
	listRoute,
	parseQuery,
	oneOfParam,
	parseListQuery,
	listResponse,
	listEndpoint,
	uuidFilter,
	MAX_LIMIT,
};
