/**
 * Reliability and secrets, end to end (issue 4): the built package in a real n8n 2.8.4 (`n8n execute`)
 * against the Upvest simulator running in this process, with its fault injection.
 *
 *   1. 200 account groups through one node while /account_groups answers 10% 429 (half with
 *      Retry-After), 10% 503 and drops 10% of the connections after creating: every item succeeds,
 *      exactly 200 account groups, none twice.
 *   2. A re-run with the same input creates nothing: every answer is a replay with the same id.
 *   3. The access token expires in the middle of a sequential run: one refresh, no failed item.
 *   4. Upvest is down for longer than the retry budget for two items: they become error items
 *      (Continue On Fail) naming HTTP 503 and the item; a re-run creates exactly those two.
 *   5. Secrets: n8n ran at debug level with console and file logs; nothing it produced (CLI output,
 *      log files, run data, the SQLite database bytes) contains the client secret, the passphrase,
 *      the private key or any access token the simulator issued.
 *
 * The figures are printed and written to test-artifacts/reliability.json.
 * Instance: a new .local/instances/reliability-XXXXXX per run (kept afterwards with UPVEST_E2E_KEEP=1);
 * each run's CLI output and simulator records go to test-artifacts/reliability/<that name>/.
 * Run alone with: npx jest test/e2e/reliability.test.ts --selectProjects e2e
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rt = require('../../scripts/n8n-runtime');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../../simulator/server');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testClient } = require('../../simulator/fixtures');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyRequest, NonceStore } = require('../../simulator/verify');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface SimRecord {
	seq: number;
	method: string;
	path: string;
	query: string | null;
	status: number | null;
	tokenRequest: boolean;
	signature: { valid: boolean; error?: string; keyId?: string } | null;
	body: string;
	headers: Record<string, string>;
	idempotencyKey?: string;
	replayed: boolean;
	fault?: string;
	receivedAt: string;
}

interface Simulator {
	url: string;
	close(): Promise<void>;
	setFaults(faults: object[], seed?: number): unknown;
	expireTokens(): number;
	requests: SimRecord[];
	state: { accountGroups: Json[]; roles: Json[]; tokensIssued: number };
}

interface Execution {
	workflowId: string;
	exitCode: number | null;
	run: Json;
	stdout: string;
	stderr: string;
	ms: number;
	records: SimRecord[];
	/** Whether scripts/n8n-runtime.js parsed the run itself (false: only this file's debug-aware parser did). */
	runtimeParsedRun: boolean;
}

const INSTALL_TIMEOUT = 20 * 60_000;
const EXECUTE_TIMEOUT = 180_000;

// A fresh user folder per run (.local/instances/reliability-XXXXXX): the file may run twice at once.
let INSTANCE_DIR: string;
let LOG_FILE: string;
let DATABASE: string;
let RUN_ARTIFACTS_DIR: string;
/** A private copy of the built package: other people's rebuilds of dist/ (rimraf + tsc) cannot break a run. */
let PACKAGE_COPY: string;
// Fixed so the stored credential can be decrypted below (local test instance only).
const ENCRYPTION_KEY = 'reliability-e2e-local-encryption-key-000';
const ARTIFACTS_DIR = path.join(rt.ROOT, 'test-artifacts');
const FIGURES_FILE = path.join(ARTIFACTS_DIR, 'reliability.json');

const CRED = {
	faults: { id: 'UpvestRelCred0001', name: 'Reliability: 200 items under faults' },
	expiry: { id: 'UpvestRelCred0002', name: 'Reliability: token expiry' },
	outage: { id: 'UpvestRelCred0003', name: 'Reliability: outage' },
};
const WF = {
	faults: 'UpvestRelFaults001',
	expiry: 'UpvestRelExpiry001',
	outage: 'UpvestRelOutage001',
};

// ---------------------------------------------------------------------------
// inputs
// ---------------------------------------------------------------------------

/** A stable version-4 UUID from a text (so the inputs are the same on every run). */
function seededUuid(text: string): string {
	const b = crypto.createHash('sha256').update(text).digest().subarray(0, 16);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = b.toString('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const GROUP_ITEMS = Array.from({ length: 200 }, (_, i) => ({
	customerId: `CUST-${String(i + 1).padStart(4, '0')}`,
	userId: seededUuid(`reliability-owner-${i}`),
}));
const EXPIRY_ITEMS = Array.from({ length: 60 }, (_, i) => ({
	customerId: `EXP-${String(i + 1).padStart(4, '0')}`,
	userId: seededUuid(`reliability-expiry-owner-${i}`),
}));
const BUSINESS_ID = seededUuid('reliability-business');
const ROLE_ITEMS = Array.from({ length: 12 }, (_, i) => ({
	ref: `ROLE-${String(i + 1).padStart(4, '0')}`,
	userId: seededUuid(`reliability-role-user-${i}`),
	businessId: BUSINESS_ID,
}));

/** Unconditional per-attempt rates 5% / 5% / 10% / 10% (faults are tried in order, the first one wins). */
const FAULT_SEED = 20261122;
const GROUP_FAULTS = [
	{
		path: '/account_groups',
		method: 'POST',
		kind: 'status',
		status: 429,
		retryAfter: 1,
		rate: 0.05,
	},
	{ path: '/account_groups', method: 'POST', kind: 'status', status: 429, rate: 0.05 / 0.95 },
	{ path: '/account_groups', method: 'POST', kind: 'status', status: 503, rate: 0.1 / 0.9 },
	{ path: '/account_groups', method: 'POST', kind: 'drop-after-create', rate: 0.1 / 0.8 },
];
const FAULT_NAMES = [
	'429 with Retry-After: 1',
	'429 without Retry-After',
	'503',
	'drop after create',
];

// ---------------------------------------------------------------------------
// workflows
// ---------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { itemsWorkflow: workflowWithItems, upvestNode } = require('../../scripts/workflows');

/** Start → Set (raw JSON) → Split Out → the Upvest node. */
function itemsWorkflow(
	id: string,
	name: string,
	items: Json[],
	upvestName: string,
	parameters: Json,
	credential: { id: string; name: string },
	extra: Json = {},
) {
	return workflowWithItems(
		id,
		name,
		items,
		upvestNode(upvestName, [660, 0], parameters, credential, extra),
	);
}

const accountGroupParameters = (concurrency: number, maxAttempts: number) => ({
	resource: 'accountGroup',
	operation: 'create',
	ownerType: 'user',
	userId: '={{ $json.userId }}',
	accountGroupType: 'PERSONAL',
	additionalFields: {},
	options: { idempotencyKey: '={{ $json.customerId }}', concurrency, maxAttempts },
});

/**
 * 30% of all attempts fail, so an item fails for good with probability 0.3^maxAttempts: with 8 that is
 * 1.3% per run for 200 items (a flaky test), with 10 (the node's maximum) 0.1%.
 */
const FAULTS_MAX_ATTEMPTS = 10;
const faultsWorkflow = () =>
	itemsWorkflow(
		WF.faults,
		'Reliability: 200 account groups under faults',
		GROUP_ITEMS,
		'Create account groups',
		accountGroupParameters(4, FAULTS_MAX_ATTEMPTS),
		CRED.faults,
	);
const expiryWorkflow = () =>
	itemsWorkflow(
		WF.expiry,
		'Reliability: token expires mid-run',
		EXPIRY_ITEMS,
		'Create account groups',
		accountGroupParameters(1, 5),
		CRED.expiry,
	);
const outageWorkflow = () =>
	itemsWorkflow(
		WF.outage,
		'Reliability: Upvest down longer than the retry budget',
		ROLE_ITEMS,
		'Create roles',
		{
			resource: 'role',
			operation: 'create',
			entityType: 'business',
			userId: '={{ $json.userId }}',
			entityId: '={{ $json.businessId }}',
			roleType: 'LEGAL_REPRESENTATIVE',
			options: { idempotencyKey: '={{ $json.ref }}', concurrency: 1, maxAttempts: 2 },
		},
		CRED.outage,
		{ onError: 'continueRegularOutput' },
	);

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

let sim: Simulator;
let n8n: any; // eslint-disable-line @typescript-eslint/no-explicit-any
const executions: Execution[] = [];
const figures: Json = {};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function saveFigures() {
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	fs.writeFileSync(
		FIGURES_FILE,
		`${JSON.stringify({ n8nVersion: rt.N8N_VERSION, generatedAt: new Date().toISOString(), ...figures }, null, 2)}\n`,
	);
}

function report(name: string, data: Json) {
	figures[name] = data;
	saveFigures();
	console.log(`[reliability] ${name}\n${JSON.stringify(data, null, 2)}`);
}

function lastSeq(): number {
	return sim.requests.length === 0 ? 0 : sim.requests[sim.requests.length - 1].seq;
}

/**
 * Runs a workflow. `during` runs alongside the execution (it gets a function telling whether the
 * execution has ended), e.g. to change the simulator when enough requests have arrived.
 */
async function execute(
	workflowId: string,
	during?: (since: number, ended: () => boolean) => Promise<unknown>,
): Promise<Execution> {
	const since = lastSeq();
	let ended = false;
	const pending = n8n.execute(workflowId, { timeoutMs: EXECUTE_TIMEOUT });
	const side = during ? during(since, () => ended) : Promise.resolve();
	const result = await pending.finally(() => {
		ended = true;
	});
	await side;
	const records = sim.requests.filter((r) => r.seq > since);
	const run = result.run;
	const execution: Execution = {
		workflowId,
		exitCode: result.exitCode,
		run,
		stdout: result.stdout,
		stderr: result.stderr,
		ms: result.ms,
		records,
		runtimeParsedRun: result.run !== undefined,
	};
	executions.push(execution);
	fs.mkdirSync(RUN_ARTIFACTS_DIR, { recursive: true });
	const base = path.join(RUN_ARTIFACTS_DIR, `${executions.length}-${workflowId}`);
	fs.writeFileSync(
		`${base}.out.txt`,
		`exit ${result.exitCode}, ${result.ms} ms\n${result.stdout}\n${result.stderr}`,
	);
	fs.writeFileSync(`${base}.simulator.json`, JSON.stringify(records, null, 2));
	if (run === undefined) {
		throw new Error(
			`n8n execute printed no run data (exit ${result.exitCode}):\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
		);
	}
	const error = run.data?.resultData?.error;
	if (result.exitCode !== 0 || error) {
		throw new Error(
			`execution of ${workflowId} failed (exit ${result.exitCode}): ${error?.message ?? result.stderr.slice(-2000)}`,
		);
	}
	return execution;
}

/** Polls (the simulator lives in this process) until `condition` holds, then runs `action` once. */
async function whenSeen(
	ended: () => boolean,
	condition: () => boolean,
	action: () => void,
): Promise<boolean> {
	while (!ended()) {
		if (condition()) {
			action();
			return true;
		}
		await sleep(2);
	}
	return false;
}

function output(
	execution: Execution,
	nodeName: string,
): Array<{ json: Json; pairedItem?: unknown }> {
	const items = rt.nodeOutput(execution.run, nodeName);
	if (items === undefined)
		throw new Error(`node "${nodeName}" did not run in ${execution.workflowId}`);
	return items;
}

function apiRecords(records: SimRecord[], apiPath: string) {
	return records.filter((r) => r.path === apiPath && !r.tokenRequest);
}

function bodyOf(record: SimRecord): Json {
	return JSON.parse(record.body);
}

function groupBy<T>(list: T[], key: (item: T) => string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const item of list) {
		const k = key(item);
		map.set(k, [...(map.get(k) ?? []), item]);
	}
	return map;
}

function count<T>(list: T[], predicate: (item: T) => boolean) {
	return list.filter(predicate).length;
}

// Independent second check of every request's signature, including the ones the simulator answered
// before verifying (injected faults, expired tokens). One nonce store for the whole file: a nonce
// used twice anywhere fails.
const VERIFY_KEYS = new Map([
	[
		testClient.ecdsa.keyId,
		{ clientId: testClient.clientId, publicKeys: [testClient.ecdsa.publicKeyPem] },
	],
	[
		testClient.ed25519.keyId,
		{ clientId: testClient.clientId, publicKeys: [testClient.ed25519.publicKeyPem] },
	],
]);
const nonceStore = new NonceStore();

function expectAllSigned(records: SimRecord[]) {
	const problems: string[] = [];
	for (const record of records) {
		if (record.signature !== null && !record.signature.valid) {
			problems.push(`#${record.seq} ${record.path}: simulator: ${record.signature.error}`);
		}
		const again = verifyRequest(
			{
				method: record.method,
				path: record.path,
				query: record.query,
				headers: record.headers,
				body: Buffer.from(record.body, 'utf8'),
			},
			{ keys: VERIFY_KEYS, now: Math.floor(Date.parse(record.receivedAt) / 1000), nonceStore },
		);
		if (!again.valid) problems.push(`#${record.seq} ${record.path}: re-verified: ${again.error}`);
	}
	expect(problems).toEqual([]);
}

/** The bearer tokens the node sent: every token the simulator issued is used at least once here. */
function bearerTokens(records: SimRecord[]): string[] {
	const tokens = new Set<string>();
	for (const r of records) {
		const match = /^Bearer (\S+)$/.exec(r.headers.authorization ?? '');
		if (match) tokens.add(match[1]);
	}
	return [...tokens];
}

async function appliedFaults(): Promise<number[]> {
	const res = await rt.httpJson(`${sim.url}/__simulator/faults`);
	return (res.json.faults as Array<{ applied: number }>).map((f) => f.applied);
}

// ---------------------------------------------------------------------------
// suite
// ---------------------------------------------------------------------------

beforeAll(async () => {
	const log = (message: string) => process.stderr.write(`[reliability] ${message}\n`);
	rt.ensureN8n({ log });
	rt.ensureBuilt({ log });
	sim = await startSimulator({ port: 0 });

	fs.mkdirSync(rt.INSTANCES_DIR, { recursive: true });
	INSTANCE_DIR = fs.mkdtempSync(path.join(rt.INSTANCES_DIR, 'reliability-'));
	LOG_FILE = path.join(INSTANCE_DIR, 'logs', 'n8n.log');
	DATABASE = path.join(INSTANCE_DIR, '.n8n', 'database.sqlite');
	RUN_ARTIFACTS_DIR = path.join(ARTIFACTS_DIR, 'reliability', path.basename(INSTANCE_DIR));
	fs.rmSync(FIGURES_FILE, { force: true });
	log(`n8n user folder ${INSTANCE_DIR}, run output in ${RUN_ARTIFACTS_DIR}`);
	PACKAGE_COPY = `${INSTANCE_DIR}-package`;
	// Every source file compiled: a copy taken while someone else rebuilds is incomplete, so wait and retake it.
	const sources = ['nodes', 'credentials'].flatMap((dir) =>
		filesUnder(path.join(rt.ROOT, dir))
			.filter((f) => f.endsWith('.ts'))
			.map((f) => path.relative(rt.ROOT, f).replace(/\.ts$/, '.js')),
	);
	for (let attempt = 1; ; attempt++) {
		fs.rmSync(PACKAGE_COPY, { recursive: true, force: true });
		for (const entry of ['package.json', 'index.js', 'dist']) {
			fs.cpSync(path.join(rt.ROOT, entry), path.join(PACKAGE_COPY, entry), { recursive: true });
		}
		const missing = sources.filter((f) => !fs.existsSync(path.join(PACKAGE_COPY, 'dist', f)));
		if (missing.length === 0) break;
		if (attempt === 10)
			throw new Error(`dist/ stays incomplete (missing ${missing.join(', ')}): run npm run build`);
		log(`dist/ is being rebuilt (missing ${missing[0]}); retrying in 5 s`);
		await sleep(5000);
		rt.ensureBuilt({ log });
	}
	n8n = rt.createInstance({
		dir: INSTANCE_DIR,
		packageDir: PACKAGE_COPY,
		encryptionKey: ENCRYPTION_KEY,
		log,
		env: {
			N8N_LOG_LEVEL: 'debug',
			N8N_LOG_OUTPUT: 'console,file',
			N8N_LOG_FILE_LOCATION: LOG_FILE,
		},
	});
	await n8n.importCredentials([
		rt.credentialFor(sim.url, 'ecdsa', CRED.faults),
		rt.credentialFor(sim.url, 'ecdsa', CRED.expiry),
		rt.credentialFor(sim.url, 'ecdsa', CRED.outage),
	]);
	await n8n.importWorkflow([faultsWorkflow(), expiryWorkflow(), outageWorkflow()]);
}, INSTALL_TIMEOUT);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
	if (INSTANCE_DIR && !process.env.UPVEST_E2E_KEEP) {
		fs.rmSync(INSTANCE_DIR, { recursive: true, force: true });
		fs.rmSync(PACKAGE_COPY, { recursive: true, force: true });
	}
}, 60_000);

let firstRun: Execution | undefined;

test(
	'200 items under 429 / 503 / dropped connections: every item succeeds, exactly 200 account groups, none twice',
	async () => {
		sim.setFaults(GROUP_FAULTS, FAULT_SEED);
		const started = Date.now();
		let execution: Execution;
		let applied: number[] = [];
		try {
			execution = await execute(WF.faults);
		} finally {
			applied = await appliedFaults();
			sim.setFaults([]);
		}
		firstRun = execution;
		const records = execution.records;
		const api = apiRecords(records, '/account_groups');

		// Every output item is a success, in input order, paired to its input, and is what Upvest holds.
		const items = output(execution, 'Create account groups');
		expect(items).toHaveLength(GROUP_ITEMS.length);
		items.forEach((item, i) => {
			expect(item.json.error).toBeUndefined();
			expect(item.json.id).toEqual(expect.any(String));
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ user_id: GROUP_ITEMS[i].userId, type: 'PERSONAL' });
			expect(item.json).toStrictEqual(sim.state.accountGroups.find((g) => g.id === item.json.id));
		});

		// Exactly 200 account groups, 200 distinct owners, each input owner once.
		expect(sim.state.accountGroups).toHaveLength(200);
		const owners = sim.state.accountGroups.map((g) => g.user_id);
		expect(new Set(owners).size).toBe(200);
		expect(new Set(owners)).toEqual(new Set(GROUP_ITEMS.map((x) => x.userId)));
		expect(new Set(items.map((x) => x.json.id)).size).toBe(200);

		// Per owner: one idempotency key on every attempt, exactly one request that created,
		// exactly one answer that reached n8n; an answer lost after creating is followed by a replay.
		const byOwner = groupBy(api, (r) => bodyOf(r).user_id);
		expect(byOwner.size).toBe(200);
		const keys = new Set<string>();
		for (const [owner, attempts] of byOwner) {
			const ownerKeys = new Set(attempts.map((r) => r.idempotencyKey));
			expect({ owner, keys: ownerKeys.size }).toEqual({ owner, keys: 1 });
			keys.add(attempts[0].idempotencyKey as string);
			const created = attempts.filter(
				(r) => !r.replayed && (r.status === 200 || r.fault === 'drop-after-create'),
			);
			expect({ owner, created: created.length }).toEqual({ owner, created: 1 });
			expect({ owner, answered: count(attempts, (r) => r.status === 200) }).toEqual({
				owner,
				answered: 1,
			});
			const dropIndex = attempts.findIndex((r) => r.fault === 'drop-after-create');
			if (dropIndex !== -1) {
				expect(attempts[attempts.length - 1]).toMatchObject({ status: 200, replayed: true });
			}
			// Nothing after the success.
			expect(attempts[attempts.length - 1].status).toBe(200);
		}
		expect(keys.size).toBe(200);
		expect(
			[...keys].every((k) =>
				/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(k),
			),
		).toBe(true);
		// Only the injected failures and successes: no 4xx from a bad resend (422 = key reused with another body).
		expect(new Set(api.map((r) => r.status))).toEqual(new Set([200, 429, 503, null]));
		for (const r of api.filter((x) => x.status === null)) expect(r.fault).toBe('drop-after-create');

		// Every fault kind really happened, one token for the whole run, every request signed correctly.
		applied.forEach((n) => expect(n).toBeGreaterThan(0));
		expect(count(records, (r) => r.tokenRequest)).toBe(1);
		expect(records[0].tokenRequest).toBe(true);
		expectAllSigned(records);

		// Retry-After is honoured: at least as many 429s as carried "Retry-After: 1" were retried no
		// sooner than a second later (backoff alone waits 125-250 ms after a first 429).
		const afterRateLimit = api
			.filter((r) => r.status === 429)
			.map((r) => {
				const retry = api.find(
					(x) => x.seq > r.seq && x.idempotencyKey === r.idempotencyKey,
				) as SimRecord;
				return Date.parse(retry.receivedAt) - Date.parse(r.receivedAt);
			});
		expect(count(afterRateLimit, (ms) => ms >= 990)).toBeGreaterThanOrEqual(applied[0]);

		const retriesPerItem = [...byOwner.values()].map((a) => a.length);
		report('faults', {
			items: GROUP_ITEMS.length,
			concurrency: 4,
			maxAttempts: FAULTS_MAX_ATTEMPTS,
			faultSeed: FAULT_SEED,
			faultRatesPerAttempt: {
				'429 with Retry-After: 1': 0.05,
				'429 without Retry-After': 0.05,
				'503': 0.1,
				'drop after create': 0.1,
			},
			faultsInjected: Object.fromEntries(FAULT_NAMES.map((name, i) => [name, applied[i]])),
			faultsInjectedTotal: applied.reduce((a, b) => a + b, 0),
			attempts: api.length,
			retries: api.length - GROUP_ITEMS.length,
			itemsRetried: count(retriesPerItem, (n) => n > 1),
			mostAttemptsForOneItem: Math.max(...retriesPerItem),
			rateLimitedRetriesSentAfterAtLeast1s: count(afterRateLimit, (ms) => ms >= 990),
			replaysServed: count(api, (r) => r.replayed && r.status === 200),
			replaysLostToAnotherDrop: count(api, (r) => r.replayed && r.status === null),
			successOutputs: count(items, (x) => typeof x.json.id === 'string'),
			errorOutputs: count(items, (x) => x.json.error !== undefined),
			accountGroups: sim.state.accountGroups.length,
			distinctOwners: new Set(owners).size,
			ownersCreatedTwice: 0,
			tokenRequests: count(records, (r) => r.tokenRequest),
			requestsSignedAndVerified: records.length,
			executionMs: Date.parse(execution.run.stoppedAt) - Date.parse(execution.run.startedAt),
			cliMs: execution.ms,
			wallMs: Date.now() - started,
		});
	},
	EXECUTE_TIMEOUT + 60_000,
);

test(
	'a re-run of the 200-item workflow with the same input creates nothing: every answer is a replay with the same id',
	async () => {
		expect(firstRun).toBeDefined();
		const first = firstRun as Execution;
		const before = sim.state.accountGroups.length;
		const execution = await execute(WF.faults);
		const api = apiRecords(execution.records, '/account_groups');

		expect(sim.state.accountGroups).toHaveLength(before);
		expect(before).toBe(200);
		expect(api).toHaveLength(200);
		for (const r of api) expect(r).toMatchObject({ status: 200, replayed: true });

		// Same keys as the first run (they come from the input), same answers.
		const firstKeys = new Map(
			apiRecords(first.records, '/account_groups').map((r) => [
				bodyOf(r).user_id,
				r.idempotencyKey,
			]),
		);
		for (const r of api) expect(r.idempotencyKey).toBe(firstKeys.get(bodyOf(r).user_id));
		const firstItems = output(first, 'Create account groups');
		const items = output(execution, 'Create account groups');
		expect(items).toHaveLength(200);
		items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toStrictEqual(firstItems[i].json);
		});
		expectAllSigned(execution.records);

		const tokenRequests = count(execution.records, (r) => r.tokenRequest);
		// The credential kept the first run's (still valid) token, so no new token is needed.
		expect(tokenRequests).toBe(0);
		report('rerun', {
			items: items.length,
			requests: api.length,
			replaysServed: count(api, (r) => r.replayed),
			created: sim.state.accountGroups.length - before,
			accountGroups: sim.state.accountGroups.length,
			sameIdsAsFirstRun: items.filter((x, i) => x.json.id === firstItems[i].json.id).length,
			tokenRequests,
			cliMs: execution.ms,
		});
	},
	EXECUTE_TIMEOUT + 30_000,
);

test(
	'the access token expires mid-run: one refresh, no failed item, 60 account groups',
	async () => {
		const before = sim.state.accountGroups.length;
		// A little latency keeps the sequential run long enough to expire the token at a chosen point.
		sim.setFaults([{ path: '/account_groups', kind: 'latency', latencyMs: 15 }]);
		let expiredAfter = -1;
		let execution: Execution;
		try {
			execution = await execute(WF.expiry, (since, ended) =>
				whenSeen(
					ended,
					() => count(sim.requests, (r) => r.seq > since && r.path === '/account_groups') >= 20,
					() => {
						expiredAfter = count(
							sim.requests,
							(r) => r.seq > since && r.path === '/account_groups',
						);
						sim.expireTokens();
					},
				),
			);
		} finally {
			sim.setFaults([]);
		}
		const records = execution.records;
		const api = apiRecords(records, '/account_groups');

		expect(expiredAfter).toBeGreaterThanOrEqual(20);
		expect(expiredAfter).toBeLessThan(60);
		const tokenRecords = records.filter((r) => r.tokenRequest);
		expect(tokenRecords).toHaveLength(2);
		expect(tokenRecords.every((r) => r.status === 200)).toBe(true);
		// The refresh happened in the middle of the run, after the token was refused.
		const refused = api.filter((r) => r.status === 401);
		expect(refused.length).toBeGreaterThan(0);
		expect(tokenRecords[1].seq).toBeGreaterThan(refused[0].seq);
		expect(tokenRecords[1].seq).toBeLessThan(api[api.length - 1].seq);
		expect(bearerTokens(records)).toHaveLength(2);

		const items = output(execution, 'Create account groups');
		expect(items).toHaveLength(60);
		items.forEach((item, i) => {
			expect(item.json.error).toBeUndefined();
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ id: expect.any(String), user_id: EXPIRY_ITEMS[i].userId });
		});
		expect(sim.state.accountGroups.length - before).toBe(60);
		const owners = sim.state.accountGroups.slice(before).map((g) => g.user_id);
		expect(new Set(owners)).toEqual(new Set(EXPIRY_ITEMS.map((x) => x.userId)));
		expect(count(api, (r) => r.status === 200)).toBe(60);
		expect(new Set(api.map((r) => r.status))).toEqual(new Set([200, 401]));
		expectAllSigned(records);

		report('tokenExpiry', {
			items: 60,
			concurrency: 1,
			tokenExpiredAfterResourceRequests: expiredAfter,
			tokenRequests: tokenRecords.length,
			refusedWith401: refused.length,
			resourceRequests: api.length,
			created: sim.state.accountGroups.length - before,
			failedItems: count(items, (x) => x.json.error !== undefined),
			cliMs: execution.ms,
		});
	},
	EXECUTE_TIMEOUT + 30_000,
);

test(
	'Upvest down longer than the retry budget: those items fail clearly, the others succeed; a re-run creates only them',
	async () => {
		const before = sim.state.roles.length;
		const latency = { path: '/roles', kind: 'latency', latencyMs: 25 };
		sim.setFaults([latency]);
		let outageAfter = -1;
		let execution: Execution;
		try {
			// After 5 role requests Upvest answers the next 4 requests with 503: with Max Attempts 2 and one
			// item at a time, that is two whole items' retry budget.
			execution = await execute(WF.outage, (since, ended) =>
				whenSeen(
					ended,
					() => count(sim.requests, (r) => r.seq > since && r.path === '/roles') >= 5,
					() => {
						outageAfter = count(sim.requests, (r) => r.seq > since && r.path === '/roles');
						sim.setFaults([latency, { path: '/roles', kind: 'status', status: 503, count: 4 }]);
					},
				),
			);
		} finally {
			sim.setFaults([]);
		}
		expect(outageAfter).toBeGreaterThanOrEqual(5);
		const api = apiRecords(execution.records, '/roles');
		const items = output(execution, 'Create roles');
		expect(items).toHaveLength(ROLE_ITEMS.length);
		items.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));

		const failed = items.map((x, i) => (x.json.error !== undefined ? i : -1)).filter((i) => i >= 0);
		expect(failed).toHaveLength(2);
		expect(failed[1]).toBe(failed[0] + 1);
		const byUser = groupBy(api, (r) => bodyOf(r).user_id);
		for (const i of failed) {
			const json = items[i].json;
			expect(json.error).toMatch(/\b503\b/);
			expect(json.error).toContain(`[item ${i}]`);
			expect(json.error).toContain('after 2 attempts');
			expect(json.httpCode).toBe('503');
			expect(json.id).toBeUndefined();
			expect((byUser.get(ROLE_ITEMS[i].userId) ?? []).map((r) => r.status)).toEqual([503, 503]);
		}
		ROLE_ITEMS.forEach((input, i) => {
			if (failed.includes(i)) return;
			expect(items[i].json).toMatchObject({
				id: expect.any(String),
				user_id: input.userId,
				entity_type: 'BUSINESS',
				entity_id: BUSINESS_ID,
				role_type: 'LEGAL_REPRESENTATIVE',
			});
			expect((byUser.get(input.userId) ?? []).map((r) => r.status)).toEqual([200]);
		});
		expect(sim.state.roles.length - before).toBe(ROLE_ITEMS.length - 2);
		expectAllSigned(execution.records);

		// Upvest is back: the same workflow again. Keys come from the input, so the ten done items are
		// replayed and only the two failed ones are created.
		const beforeRerun = sim.state.roles.length;
		const rerun = await execute(WF.outage);
		const rerunApi = apiRecords(rerun.records, '/roles');
		const rerunItems = output(rerun, 'Create roles');
		expect(rerunItems).toHaveLength(ROLE_ITEMS.length);
		const firstKeys = new Map(api.map((r) => [bodyOf(r).user_id, r.idempotencyKey]));
		ROLE_ITEMS.forEach((input, i) => {
			expect(rerunItems[i].json.error).toBeUndefined();
			expect(rerunItems[i].pairedItem).toEqual({ item: i });
			expect(rerunItems[i].json).toMatchObject({ id: expect.any(String), user_id: input.userId });
			const [record, ...more] = rerunApi.filter((r) => bodyOf(r).user_id === input.userId);
			expect(more).toHaveLength(0);
			expect(record.idempotencyKey).toBe(firstKeys.get(input.userId));
			expect(record).toMatchObject({ status: 200, replayed: !failed.includes(i) });
			if (!failed.includes(i)) expect(rerunItems[i].json.id).toBe(items[i].json.id);
		});
		const created = sim.state.roles.slice(beforeRerun);
		expect(created.map((r) => r.user_id).sort()).toEqual(
			failed.map((i) => ROLE_ITEMS[i].userId).sort(),
		);
		const roles = sim.state.roles.slice(before);
		expect(roles).toHaveLength(ROLE_ITEMS.length);
		expect(new Set(roles.map((r) => r.user_id)).size).toBe(ROLE_ITEMS.length);
		expectAllSigned(rerun.records);

		report('outage', {
			items: ROLE_ITEMS.length,
			maxAttempts: 2,
			outageStartedAfterRequests: outageAfter,
			injected503: count(api, (r) => r.status === 503),
			failedItems: failed,
			errorMessages: failed.map((i) => items[i].json.error),
			errorDescriptions: failed.map((i) => items[i].json.description ?? null),
			succeededFirstRun: ROLE_ITEMS.length - failed.length,
			rerunCreated: created.length,
			rerunReplayed: count(rerunApi, (r) => r.replayed),
			rolesTotal: roles.length,
			cliMs: [execution.ms, rerun.ms],
		});
	},
	2 * EXECUTE_TIMEOUT + 30_000,
);

// ---------------------------------------------------------------------------
// secrets
// ---------------------------------------------------------------------------

const WINDOW = 20;
/** Characters of base64, base64url and hex: secrets and key material are runs of these. */
const RUN = /[A-Za-z0-9+/=_-]{20,}/g;

function windowsOf(text: string, label: string, into: Map<string, string>) {
	for (let i = 0; i + WINDOW <= text.length; i++) into.set(text.slice(i, i + WINDOW), label);
}

/** Base64 body lines of a PEM (no BEGIN/END or header lines). */
function pemBody(pem: string): string[] {
	return pem
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(
			(l) => l !== '' && !l.startsWith('-----') && !l.includes(':') && /^[A-Za-z0-9+/=]+$/.test(l),
		);
}

/**
 * Any 40-character slice of the key's base64 body either lies in one PEM line or spans a line break;
 * both ways it contains 20 characters in a row from one line (or from the joined body). So looking
 * up every 20-character window of every base64 run in the haystack finds any such slice.
 */
function keyWindows(): Map<string, string> {
	const windows = new Map<string, string>();
	const add = (label: string, pem: string) => {
		const lines = pemBody(pem);
		for (const line of lines) windowsOf(line, label, windows);
		windowsOf(lines.join(''), label, windows);
	};
	const ecdsa = crypto.createPrivateKey({
		key: testClient.ecdsa.privateKeyPem,
		passphrase: testClient.ecdsa.passphrase,
	});
	add(
		'ECDSA private key (encrypted PEM, as stored in the credential)',
		testClient.ecdsa.privateKeyPem,
	);
	add(
		'ECDSA private key (PKCS#8, decrypted)',
		ecdsa.export({ type: 'pkcs8', format: 'pem' }) as string,
	);
	add(
		'ECDSA private key (SEC1, decrypted)',
		ecdsa.export({ type: 'sec1', format: 'pem' }) as string,
	);
	const d = ecdsa.export({ format: 'jwk' }).d as string;
	windowsOf(d, 'ECDSA private scalar (base64url)', windows);
	windowsOf(Buffer.from(d, 'base64url').toString('hex'), 'ECDSA private scalar (hex)', windows);
	add('Ed25519 private key (PKCS#8)', testClient.ed25519.privateKeyPem);
	return windows;
}

interface Haystack {
	name: string;
	text: string; // latin1: byte for byte
}

function findSecrets(
	haystacks: Haystack[],
	exact: Array<[string, string]>,
	windows: Map<string, string>,
): string[] {
	const hits: string[] = [];
	for (const { name, text } of haystacks) {
		for (const [label, value] of exact) {
			const at = text.indexOf(value);
			if (at !== -1)
				hits.push(
					`${label} in ${name} at ${at}: …${text.slice(Math.max(0, at - 60), at + value.length + 20)}…`,
				);
		}
		for (const match of text.matchAll(RUN)) {
			const run = match[0];
			for (let i = 0; i + WINDOW <= run.length; i++) {
				const label = windows.get(run.slice(i, i + WINDOW));
				if (label !== undefined) {
					const at = (match.index ?? 0) + i;
					hits.push(`${label} in ${name} at ${at}: …${text.slice(Math.max(0, at - 60), at + 60)}…`);
					break;
				}
			}
		}
	}
	return hits;
}

/** Every file under the instance folder; symlinks (the linked package) are not followed. */
function filesUnder(dir: string): string[] {
	const files: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isSymbolicLink()) continue;
		if (entry.isDirectory()) files.push(...filesUnder(full));
		else if (entry.isFile()) files.push(full);
	}
	return files;
}

/** All rows of all tables, through SQLite itself (values split across overflow pages come back whole). */
async function databaseRows(): Promise<Record<string, Json[]>> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const sqlite3 = require(path.join(rt.N8N_DIR, 'node_modules', 'sqlite3'));
	const db = new sqlite3.Database(DATABASE, sqlite3.OPEN_READONLY);
	const all = (sql: string): Promise<Json[]> =>
		new Promise((resolve, reject) =>
			db.all(sql, (error: Error | null, rows: Json[]) => (error ? reject(error) : resolve(rows))),
		);
	try {
		const tables = await all("SELECT name FROM sqlite_master WHERE type = 'table'");
		const result: Record<string, Json[]> = {};
		for (const { name } of tables)
			result[name] = await all(`SELECT * FROM "${String(name).replace(/"/g, '""')}"`);
		return result;
	} finally {
		await new Promise((resolve) => db.close(resolve));
	}
}

/** n8n's Cipher (AES-256-CBC, OpenSSL "Salted__" key derivation with MD5). */
function decryptCredential(data: string): Json {
	const input = Buffer.from(data, 'base64');
	const salt = input.subarray(8, 16);
	const password = Buffer.concat([Buffer.from(ENCRYPTION_KEY, 'binary'), salt]);
	const h1 = crypto.createHash('md5').update(password).digest();
	const h2 = crypto
		.createHash('md5')
		.update(Buffer.concat([h1, password]))
		.digest();
	const iv = crypto
		.createHash('md5')
		.update(Buffer.concat([h2, password]))
		.digest();
	const decipher = crypto.createDecipheriv('aes-256-cbc', Buffer.concat([h1, h2]), iv);
	return JSON.parse(
		Buffer.concat([decipher.update(input.subarray(16)), decipher.final()]).toString('utf8'),
	);
}

test('secrets: no client secret, passphrase, private key or access token anywhere n8n wrote (debug logs, CLI output, runs, database)', async () => {
	expect(executions.length).toBeGreaterThanOrEqual(5);
	const allRecords = sim.requests;
	// Tokens: the simulator records requests, not responses, but every issued token is used as a
	// bearer token afterwards; the count proves none is missing.
	const tokens = bearerTokens(allRecords);
	expect(tokens.length).toBe(sim.state.tokensIssued);
	expect(tokens.length).toBeGreaterThanOrEqual(4);

	const exact: Array<[string, string]> = [
		['client secret', testClient.clientSecret],
		['key passphrase', testClient.ecdsa.passphrase],
		...tokens.flatMap(
			(t, i): Array<[string, string]> => [
				[`access token #${i + 1}`, t],
				[`access token #${i + 1} (without prefix)`, t.replace(/^ory_at_/, '')],
			],
		),
	];
	const windows = keyWindows();
	windowsOf(testClient.clientSecret, 'client secret (part)', windows);
	tokens.forEach((t, i) =>
		windowsOf(t.replace(/^ory_at_/, ''), `access token #${i + 1} (part)`, windows),
	);

	// Positive controls: the search finds each needle where it is known to be.
	const control = findSecrets(
		[{ name: 'simulator records', text: JSON.stringify(allRecords) }],
		exact,
		windows,
	);
	expect(control.some((h) => h.startsWith('client secret in'))).toBe(true);
	tokens.forEach((_, i) =>
		expect(control.some((h) => h.startsWith(`access token #${i + 1} in`))).toBe(true),
	);
	const body = pemBody(testClient.ecdsa.privateKeyPem);
	for (const text of [
		`"privateKey":${JSON.stringify(testClient.ecdsa.privateKeyPem)}`,
		`…${body.join('').slice(101, 141)}…`, // a 40-character slice
		`${body[2].slice(-20)}\\n${body[3].slice(0, 20)}`, // 40 characters across a line break
	]) {
		const found = findSecrets([{ name: 'control', text }], exact, windows);
		expect(found.length).toBeGreaterThan(0);
		expect(found.every((h) => h.startsWith('ECDSA private key'))).toBe(true);
	}

	// The log file exists and really is at debug level, with the runs in it.
	const logFiles = fs.existsSync(path.dirname(LOG_FILE)) ? filesUnder(path.dirname(LOG_FILE)) : [];
	expect(logFiles.length).toBeGreaterThan(0);
	const logText = logFiles.map((f) => fs.readFileSync(f, 'latin1')).join('\n');
	expect(logText).toContain('"level":"debug"');
	expect(executions.every((e) => /\| debug \|/.test(e.stdout))).toBe(true);

	const rows = await databaseRows();
	const instanceFiles = filesUnder(INSTANCE_DIR);
	const haystacks: Haystack[] = [
		...executions.flatMap((e, i) => [
			{ name: `execute #${i + 1} (${e.workflowId}) stdout`, text: e.stdout },
			{ name: `execute #${i + 1} (${e.workflowId}) stderr`, text: e.stderr },
			{ name: `execute #${i + 1} (${e.workflowId}) run JSON`, text: JSON.stringify(e.run) ?? '' },
		]),
		{ name: 'output of every n8n CLI call (imports included)', text: n8n.logs() },
		...instanceFiles.map((f) => ({
			name: path.relative(INSTANCE_DIR, f),
			text: fs.readFileSync(f, 'latin1'),
		})),
		{ name: 'database rows (SELECT * of every table)', text: JSON.stringify(rows) },
	];
	const hits = findSecrets(haystacks, exact, windows);

	// The credential does hold the last token, encrypted: so the database search above was a real test.
	const credentials = rows.credentials_entity ?? [];
	const stored = Object.fromEntries(credentials.map((c) => [c.id, c]));
	const decrypted = Object.fromEntries(
		Object.values(CRED).map(({ id }) => [
			id,
			stored[id] ? decryptCredential(String(stored[id].data)) : undefined,
		]),
	);
	for (const { id } of Object.values(CRED)) {
		expect(String(stored[id]?.data ?? '')).toMatch(/^U2FsdGVkX1/);
		expect(tokens).toContain(decrypted[id]?.accessToken);
		expect(decrypted[id]?.clientSecret).toBe(testClient.clientSecret);
	}

	const byteCount = haystacks.reduce((n, h) => n + h.text.length, 0);
	report('secrets', {
		logLevel: 'debug',
		logOutputs: 'console,file',
		runtimeParsedRunAtDebugLevel: executions.every((e) => e.runtimeParsedRun),
		searched: {
			cliExecutions: executions.length,
			instanceFiles: instanceFiles.map(
				(f) => `${path.relative(INSTANCE_DIR, f)} (${fs.statSync(f).size} bytes)`,
			),
			databaseTables: Object.keys(rows).length,
			databaseRows: Object.values(rows).reduce((n, r) => n + r.length, 0),
			totalBytes: byteCount,
		},
		needles: {
			accessTokens: tokens.length,
			tokensIssuedBySimulator: sim.state.tokensIssued,
			exactStrings: exact.length,
			keyAndTokenWindowsOf20Chars: windows.size,
		},
		credentialsStoredEncryptedWithCurrentToken: Object.values(CRED).map(({ id }) => id),
		hits: hits.length,
	});
	expect(hits).toEqual([]);
}, 120_000);
