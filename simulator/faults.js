'use strict';

/**
 * The fault layer: fault definitions (validated), a seeded PRNG so rates replay identically,
 * picking the faults for one request, and what they do to its response time.
 *
 * A fault matches a request by `method` and by path: `path` exactly, `path` with `*` standing
 * for one path segment (`/account_groups/*`), and/or `pathPrefix`.
 */

const { problem } = require('./http/wire');

const FAULT_KINDS = new Set(['status', 'drop-after-create', 'drop-before', 'latency']);

/** Deterministic PRNG (mulberry32) so seeded fault rates replay identically. */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function nonNegativeInteger(value, name) {
	if (!Number.isInteger(value) || value < 0)
		throw new TypeError(`${name} must be a non-negative integer`);
	return value;
}

function pathMatcher(path) {
	if (!path.includes('*')) return (candidate) => candidate === path;
	const source = path
		.split('*')
		.map((part) => part.replace(/[.+?^$()|[\]{}\\]/g, '\\$&'))
		.join('[^/]+');
	const regex = new RegExp(`^${source}$`);
	return (candidate) => regex.test(candidate);
}

function normaliseFault(f, index) {
	const where = `faults[${index}]`;
	if (!f || typeof f !== 'object' || Array.isArray(f))
		throw new TypeError(`${where} must be an object`);
	if (!FAULT_KINDS.has(f.kind))
		throw new TypeError(`${where}.kind must be one of ${[...FAULT_KINDS].join(', ')}`);
	const fault = { kind: f.kind, applied: 0 };
	for (const name of ['path', 'pathPrefix']) {
		if (f[name] === undefined) continue;
		if (typeof f[name] !== 'string' || !f[name].startsWith('/'))
			throw new TypeError(`${where}.${name} must start with /`);
		fault[name] = f[name];
	}
	if (f.method !== undefined) {
		if (typeof f.method !== 'string' || f.method === '')
			throw new TypeError(`${where}.method must be a string`);
		fault.method = f.method.toUpperCase();
	}
	if (f.rate !== undefined) {
		if (typeof f.rate !== 'number' || !(f.rate >= 0 && f.rate <= 1)) {
			throw new TypeError(`${where}.rate must be a number between 0 and 1`);
		}
		fault.rate = f.rate;
	}
	if (f.count !== undefined) fault.count = nonNegativeInteger(f.count, `${where}.count`);
	if (f.kind === 'status') {
		if (!Number.isInteger(f.status) || f.status < 400 || f.status > 599) {
			throw new TypeError(`${where}.status must be an HTTP error status (400-599)`);
		}
		fault.status = f.status;
		if (f.retryAfter !== undefined) {
			if (typeof f.retryAfter !== 'number' || !(f.retryAfter >= 0)) {
				throw new TypeError(`${where}.retryAfter must be a non-negative number of seconds`);
			}
			fault.retryAfter = f.retryAfter;
		}
		if (f.detail !== undefined) {
			if (typeof f.detail !== 'string') throw new TypeError(`${where}.detail must be a string`);
			fault.detail = f.detail;
		}
	}
	if (f.kind === 'latency') fault.latencyMs = nonNegativeInteger(f.latencyMs, `${where}.latencyMs`);
	return fault;
}

class FaultLayer {
	constructor() {
		this.set([]);
	}

	/** Replaces the fault list; throws TypeError naming the first invalid definition. */
	set(faults, seed) {
		if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
		if (seed !== undefined && !Number.isInteger(seed))
			throw new TypeError('seed must be an integer');
		const list = faults.map((f, i) => normaliseFault(f, i));
		this.faults = list;
		this.matchers = list.map((f) => (f.path !== undefined ? pathMatcher(f.path) : null));
		this.seed = seed ?? 1;
		this.rng = mulberry32(this.seed);
		return this.describe();
	}

	describe() {
		return { seed: this.seed, faults: this.faults.map((f) => ({ ...f })) };
	}

	matches(index, method, path) {
		const f = this.faults[index];
		if (f.method !== undefined && f.method !== method) return false;
		if (f.pathPrefix !== undefined && !path.startsWith(f.pathPrefix)) return false;
		const matcher = this.matchers[index];
		return matcher === null || matcher(path);
	}

	/**
	 * Faults for one request, in list order: every matching latency fault adds up, the first
	 * matching other fault is the terminal one. Returns { latencyMs, terminal, labels }.
	 */
	pick(method, path) {
		const result = { latencyMs: 0, terminal: null, labels: [] };
		this.faults.forEach((f, index) => {
			if (!this.matches(index, method, path)) return;
			if (f.kind !== 'latency' && result.terminal) return; // one terminal fault per request
			if (f.count !== undefined && f.applied >= f.count) return;
			if (f.rate !== undefined && this.rng() >= f.rate) return;
			f.applied++;
			if (f.kind === 'latency') {
				result.latencyMs += f.latencyMs;
				result.labels.push(`latency:${f.latencyMs}`);
			} else {
				result.terminal = f;
				result.labels.push(f.kind === 'status' ? `status:${f.status}` : f.kind);
			}
		});
		return result;
	}
}

/**
 * What one request's faults make of it. Latency is the API's response time: the answer leaves
 * `baseLatencyMs` + the faults' latency after `arrivedAt`, with the simulator's own work
 * (`process()`: verification, storage) inside that window instead of added to it.
 *
 * @returns {Promise<{ send: object } | { drop: 'before' | 'after-create' } | { closed: true }>}
 */
async function outcome(picked, { arrivedAt, baseLatencyMs, sleep, isClosed, process }) {
	const terminal = picked.terminal;
	const response =
		terminal === null || terminal.kind === 'drop-after-create' ? process() : undefined;
	const wait = arrivedAt + baseLatencyMs + picked.latencyMs - Date.now();
	if (wait > 0) {
		await sleep(wait);
		if (isClosed()) return { closed: true };
	}
	if (terminal === null) return { send: response };
	if (terminal.kind === 'drop-before') return { drop: 'before' };
	// Fully processed (resource and idempotency record stored), answer lost.
	if (terminal.kind === 'drop-after-create') return { drop: 'after-create' };
	const headers =
		terminal.retryAfter !== undefined ? { 'retry-after': String(terminal.retryAfter) } : {};
	const detail = terminal.detail ?? 'Fault injected by the Upvest simulator';
	return { send: problem(terminal.status, detail, { headers }) };
}

module.exports = { FaultLayer, outcome, mulberry32, nonNegativeInteger };
