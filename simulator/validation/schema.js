'use strict';

/**
 * A small declarative validator for request bodies: field rules (string, enum, date, UUID, …),
 * nested objects and arrays, with errors that name the field by its path (`address.postcode`,
 * `tax_residencies[1].country`) and never quote the submitted value: bodies carry personal data.
 *
 * A rule is `{ required?, check(value, path, ctx) -> { value } | { detail } }`; `ctx` is
 * `{ now (ms), clockSkewSeconds }`. validate() returns { ok: true, value } or
 * { ok: false, field, detail }, the shape of simulator/validation.js.
 */

const { isUuid, invalid } = require('../validation');
const { isCountry } = require('../countries');

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE =
	/^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_CHECK_AGE_MONTHS = 24;

const ok = (value) => ({ value });
/** A failure at `field`; `sentence` follows the field's name in the detail. */
const fail = (field, sentence) => ({ field, detail: `${field} ${sentence}` });
const required = (rule) => ({ ...rule, required: true });

/** A rule from a predicate and the sentence that follows the path when it fails. */
const simple = (test, sentence) => ({
	check: (value, path) => (test(value) ? ok(value) : fail(path, sentence)),
});

function string({ min = 0, max, pattern } = {}) {
	const size = min > 0 ? `of ${min} to ${max} characters` : `of at most ${max} characters`;
	return {
		check(value, path) {
			if (typeof value !== 'string' || value.length < min || value.length > max)
				return fail(path, `must be a string ${size}`);
			if (pattern && !pattern.test(value)) return fail(path, `must match ${pattern.source}`);
			return ok(value);
		},
	};
}

const oneOf = (values) =>
	simple(
		(v) => typeof v === 'string' && values.includes(v),
		`must be one of ${values.map((v) => (v === '' ? "''" : v)).join(', ')}`,
	);
const boolean = () => simple((v) => typeof v === 'boolean', 'must be a boolean');
const country = () =>
	simple(isCountry, 'must be an ISO 3166-1 alpha-2 country code (upper case, e.g. DE)');
const email = (max = 100) =>
	simple(
		(v) => typeof v === 'string' && v.length <= max && EMAIL_RE.test(v),
		`must be an e-mail address of at most ${max} characters`,
	);
const uuid = () => ({
	check: (value, path) => (isUuid(value) ? ok(value.toLowerCase()) : fail(path, 'must be a UUID')),
});

function isHttpUrl(value) {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
}
const url = (max = 1000) =>
	simple(
		(v) => typeof v === 'string' && v.length <= max && isHttpUrl(v),
		`must be an http(s) URL of at most ${max} characters`,
	);

/** Whether year-month-day is a day of the calendar (no 2023-02-30). */
function realDay(year, month, day) {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1;
}

const today = (now) => new Date(now).toISOString().slice(0, 10);

/** YYYY-MM-DD, a real day; `notFuture`: not after today (UTC). */
function date({ notFuture = false } = {}) {
	return {
		check(value, path, ctx) {
			const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
			if (!m || !realDay(Number(m[1]), Number(m[2]), Number(m[3])))
				return fail(path, `must be a date (YYYY-MM-DD)`);
			if (notFuture && value > today(ctx.now)) return fail(path, `must not be in the future`);
			return ok(value);
		},
	};
}

/** Milliseconds of an RFC 3339 date-time with an offset, or NaN. */
function parseDateTime(value) {
	const m = typeof value === 'string' ? DATE_TIME_RE.exec(value) : null;
	if (!m) return NaN;
	const [year, month, day] = m[1].split('-').map(Number);
	if (!realDay(year, month, day) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 60)
		return NaN;
	if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return NaN;
	return Date.parse(value.toUpperCase());
}

/** The time `months` calendar months before `now`. */
function monthsBefore(now, months) {
	const d = new Date(now);
	d.setUTCMonth(d.getUTCMonth() - months);
	return d.getTime();
}

/**
 * An RFC 3339 date-time with an offset; `recent`: a check's confirmation time, not more than 24
 * months old and not later than now + clockSkewSeconds.
 */
function dateTime({ recent = false } = {}) {
	return {
		check(value, path, ctx) {
			const ms = parseDateTime(value);
			if (Number.isNaN(ms))
				return fail(path, `must be an RFC 3339 date-time with a time zone offset`);
			if (recent && ms > ctx.now + ctx.clockSkewSeconds * 1000)
				return fail(path, `must not be in the future`);
			if (recent && ms < monthsBefore(ctx.now, MAX_CHECK_AGE_MONTHS))
				return fail(path, `must not be more than ${MAX_CHECK_AGE_MONTHS} months old`);
			return ok(value);
		},
	};
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** Validates `body` against `fields` (name -> rule); unknown fields are refused. */
function checkFields(fields, body, path, ctx) {
	const prefix = path ? `${path}.` : '';
	if (!isPlainObject(body))
		return path
			? fail(path, 'must be an object')
			: { field: 'body', detail: 'Request body must be a JSON object' };
	for (const key of Object.keys(body)) {
		if (!has(fields, key)) return { field: prefix + key, detail: `Unknown field: ${prefix}${key}` };
	}
	const value = {};
	for (const [name, rule] of Object.entries(fields)) {
		const at = prefix + name;
		if (!has(body, name) || body[name] === null || body[name] === undefined) {
			if (rule.required) return fail(at, 'is required');
			continue;
		}
		const result = rule.check(body[name], at, ctx);
		if (result.detail !== undefined) return result;
		value[name] = result.value;
	}
	return ok(value);
}

const object = (fields) => ({ check: (value, path, ctx) => checkFields(fields, value, path, ctx) });

/** An array of `item`s: at least `min`, and with `distinct` no value twice. */
function array(item, { min = 0, distinct = false } = {}) {
	return {
		check(value, path, ctx) {
			if (!Array.isArray(value) || value.length < min)
				return fail(path, `must be an array of at least ${min} item${min === 1 ? '' : 's'}`);
			const out = [];
			for (let i = 0; i < value.length; i++) {
				const result = item.check(value[i], `${path}[${i}]`, ctx);
				if (result.detail !== undefined) return result;
				out.push(result.value);
			}
			if (distinct && new Set(out.map((v) => JSON.stringify(v))).size !== out.length)
				return fail(path, `must not hold the same value twice`);
			return ok(out);
		},
	};
}

/** The validation context of a request under this config. */
const contextOf = (config) => ({ now: Date.now(), clockSkewSeconds: config.clockSkewSeconds });

/** Validates a request body: { ok: true, value } or { ok: false, field, detail }. */
function validate(fields, body, ctx) {
	const result = checkFields(fields, body, '', ctx);
	if (result.detail !== undefined) return invalid(result.field, result.detail);
	return { ok: true, value: result.value };
}

/**
 * A body whose fields depend on the value of `key` (e.g. a check's `type`): `variants` maps each
 * value to its fields (without `key`). An unknown value is named before anything else.
 */
function validateVariant(key, variants, body, ctx) {
	const keyRule = required(oneOf(Object.keys(variants)));
	if (!isPlainObject(body)) return validate({}, body, ctx);
	if (!has(variants, body[key])) return validate({ [key]: keyRule }, { [key]: body[key] }, ctx);
	return validate({ [key]: keyRule, ...variants[body[key]] }, body, ctx);
}

module.exports = {
	contextOf,
	validate,
	validateVariant,
	required,
	string,
	oneOf,
	boolean,
	country,
	email,
	uuid,
	url,
	date,
	dateTime,
	object,
	array,
	isPlainObject,
	parseDateTime,
};
