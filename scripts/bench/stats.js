'use strict';

/** Statistics and number formatting for the bench: medians, means, slopes, table cells. */

const crypto = require('node:crypto');

function median(values) {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mean(values) {
	return values.length === 0 ? undefined : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Least-squares slope of y over x for points [{x, y}]; undefined for fewer than 2 distinct x. */
function slope(points) {
	if (points.length < 2) return undefined;
	const mx = mean(points.map((p) => p.x));
	const my = mean(points.map((p) => p.y));
	const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
	return sxx === 0 ? undefined : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

/** `value / by` (per item, per page, a ratio), or undefined when either is missing. */
function per(value, by) {
	return value === undefined || value === null || !by ? undefined : value / by;
}

/** A deterministic, valid version-4 UUID for item `i` of a data set. */
function uuidFor(namespace, i) {
	const bytes = crypto.createHash('sha256').update(`${namespace}:${i}`).digest().subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const missing = (v) => v === undefined || v === null || Number.isNaN(v);
const cell = (format) => (v) => (missing(v) ? '–' : format(v));

/** Table cells: '–' for a value that was not measured. */
const fmt = {
	int: cell((v) => Math.round(v).toLocaleString('en-US')),
	n1: cell((v) => v.toFixed(1)),
	n2: cell((v) => v.toFixed(2)),
	pct: cell((v) => `${(v * 100).toFixed(1)} %`),
	mb: cell((bytes) => `${(bytes / 1048576).toFixed(1)} MB`),
	kb: cell((bytes) => `${(bytes / 1024).toFixed(1)} KB`),
	verdict: (met) => (met === undefined ? '–' : met ? 'met' : '**missed**'),
};

module.exports = { median, mean, slope, per, uuidFor, fmt };
