/**
 * End-to-end: the package in n8n's queue mode (2.8.4, or UPVEST_N8N_VERSION), as fintechs run it
 * for onboarding: Postgres, Redis, a main that receives the webhooks and two workers that run the
 * executions in parallel (scripts/queue/cluster.js). Each scenario posts batches of customers to a
 * production webhook; every execution creates one account group per customer at 20 ms simulator
 * latency. Each scenario has its own API client and credential, so the access token it starts
 * with is none, and what one worker stores in the database the other reads.
 *
 * The figures of every scenario go to test-artifacts/queue-mode/figures.json (docs/queue-mode.md).
 */
import { sleep } from 'n8n-workflow';

import { writeArtifact } from '../../scripts/artifacts';
import { e2eEnv } from '../../scripts/e2e-env';
import { n8nInstall } from '../../scripts/n8n-runtime';
import {
	batches,
	describeRecord,
	startQueueE2e,
	type Batch,
	type Execution,
	type QueueE2e,
} from '../support/queue-e2e';
import { waitFor } from '../support/trigger-e2e';
import { lastSeq, type SimulatorRecord } from '../support/simulator';

const VERSION = e2eEnv.n8nVersion;
const RUNS_ON = `n8n ${VERSION} on Node ${n8nInstall(VERSION).nodeVersion}`;
const START_TIMEOUT = 25 * 60_000;
const TEST_TIMEOUT = 420_000;
const WORKERS = ['worker-1', 'worker-2'];

const figures: Record<string, unknown> = {};
function record(name: string, data: Record<string, unknown>) {
	figures[name] = data;
	writeArtifact('queue-mode/figures.json', { n8n: VERSION, workers: 2, scenarios: figures });
}

let e2e: QueueE2e;

beforeAll(async () => {
	e2e = await startQueueE2e([
		{ key: 'Spread' },
		{ key: 'Revoked' },
		{ key: 'Lifetime' },
		// 160 answers 429 over 80 requests in flight: an item may meet several; Max Attempts 8 keeps
		// the test about losing and duplicating, not about how unlucky one item was.
		{ key: 'Storm', options: { maxAttempts: 8 } },
		{ key: 'Killed' },
	]);
}, START_TIMEOUT);

afterAll(async () => await e2e?.close(), 180_000);

const tokenRequests = (records: SimulatorRecord[]) => records.filter((r) => r.tokenRequest);
const apiRequests = (records: SimulatorRecord[]) => records.filter((r) => !r.tokenRequest);
const receivedAt = (r: SimulatorRecord) =>
	Date.parse(String((r as { receivedAt?: string }).receivedAt));
const tokenOf = (r: SimulatorRecord) => r.headers.authorization?.replace(/^Bearer /, '') ?? '';
const countBy = <T>(list: T[], key: (entry: T) => string) => {
	const counts: Record<string, number> = {};
	for (const entry of list) counts[key(entry)] = (counts[key(entry)] ?? 0) + 1;
	return counts;
};

/** Every customer has exactly one account group; every request was signed correctly. */
function expectEachCreatedOnce(list: Batch[], records: SimulatorRecord[]) {
	const perUser = e2e.groupsPerUser(list);
	const counts = [...perUser.values()];
	expect(counts.filter((count) => count !== 1)).toEqual([]);
	expect(counts).toHaveLength(list.reduce((sum, batch) => sum + batch.customers.length, 0));
	// Requests refused before the signature check (401 token, injected 429) have none to judge.
	const badlySigned = records.filter(
		(r) => r.signature?.valid === false || (r.status === 200 && r.signature?.valid !== true),
	);
	expect(badlySigned.map(describeRecord(new Map()))).toEqual([]);
}

function expectAllSucceeded(executions: Execution[], count: number) {
	expect(executions).toHaveLength(count);
	expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'success'));
}

/**
 * Waits for the scenario's executions (the last `count` of `total`): all succeeded, every
 * customer of `list` has one account group. Answers the executions and the scenario's records.
 */
async function settled(key: string, list: Batch[], count: number, total = count) {
	const executions = (await e2e.settle(key, total)).slice(total - count);
	expectAllSucceeded(executions, count);
	const records = e2e.records(key);
	expectEachCreatedOnce(list, records);
	return { executions, records };
}

/** Which worker used each token first: that worker fetched it (the other may have read it later). */
function tokensByWorker(workers: Map<SimulatorRecord, string>, records: SimulatorRecord[]) {
	const first = new Map<string, string>();
	for (const r of apiRequests(records))
		if (!first.has(tokenOf(r))) first.set(tokenOf(r), workers.get(r) ?? 'unknown');
	return countBy([...first.values()], (worker) => worker);
}

/** One test on a fresh simulator with the scenario's workflow active; logs kept when it fails. */
function scenario(title: string, key: string, body: () => Promise<void>, config = {}) {
	test(
		title,
		async () =>
			await e2e.step(key.toLowerCase(), async () => {
				await e2e.fresh(key, config);
				await body();
			}),
		TEST_TIMEOUT,
	);
}

describe(`${RUNS_ON}: queue mode, main + Redis + Postgres + 2 workers`, () => {
	scenario(
		'20 executions of 100 items at once: spread over both workers, each item created once, at most one token per worker',
		'Spread',
		async () => {
			const list = batches(1, 20, 100);
			const started = Date.now();
			await e2e.submit('Spread', list);
			const { executions, records } = await settled('Spread', list, 20);
			const seconds = (Date.now() - started) / 1000;
			expect(
				apiRequests(records)
					.filter((r) => r.status !== 200)
					.map(describeRecord(new Map())),
			).toEqual([]);
			const tokens = tokenRequests(records).length;
			expect(tokens).toBeGreaterThanOrEqual(1);
			expect(tokens).toBeLessThanOrEqual(WORKERS.length);
			const spread = countBy(executions, (execution) => e2e.workerOf(execution));
			for (const worker of WORKERS) expect(spread[worker]).toBeGreaterThan(0);
			const workers = await e2e.requestWorkers(list, executions);
			record('spread', {
				executions: 20,
				items: 2000,
				created: e2e.sim.state.accountGroups.length,
				duplicates: 0,
				tokenRequests: tokens,
				tokensFirstUsedBy: tokensByWorker(workers, records),
				executionsPerWorker: spread,
				seconds,
				itemsPerSecond: Math.round(2000 / seconds),
			});
		},
	);

	scenario(
		'every token is revoked while both workers are busy: no request fails, each worker fetches one new token',
		'Revoked',
		async () => {
			// Warm-up: both workers hold a token of their own; the database holds one of them, so
			// one worker's next executions run with the other worker's token.
			const warmUp = batches(2, 4, 20);
			await e2e.submit('Revoked', warmUp);
			await settled('Revoked', warmUp, 4);
			const warmTokens = tokenRequests(e2e.records('Revoked')).length;

			const list = batches(3, 20, 100);
			const before = e2e.records('Revoked').length;
			await e2e.submit('Revoked', list);
			await waitFor(
				'400 of the 2,000 account groups',
				() => e2e.sim.state.accountGroups.length >= 480,
			);
			const revoked = e2e.sim.expireTokens();
			const revokedAtSeq = lastSeq(e2e.sim);
			const { executions, records } = await settled('Revoked', [...warmUp, ...list], 20, 24);
			const after = records.slice(before);
			const refused = after.filter((r) => r.status === 401);
			expect(refused.length).toBeGreaterThan(0);
			// Only tokens issued before the revocation were refused: none handed out afterwards was dead.
			const issuedBefore = new Set(
				apiRequests(records)
					.filter((r) => r.seq <= revokedAtSeq)
					.map(tokenOf),
			);
			expect(
				refused.filter((r) => !issuedBefore.has(tokenOf(r))).map(describeRecord(new Map())),
			).toEqual([]);
			const refreshes = tokenRequests(after).length;
			expect(refreshes).toBeGreaterThanOrEqual(1);
			expect(refreshes).toBeLessThanOrEqual(WORKERS.length);
			const workers = await e2e.requestWorkers(list, executions);
			record('revoked', {
				executions: 20,
				items: 2000,
				warmUp: { executions: 4, items: 80, tokenRequests: warmTokens },
				tokensRevoked: revoked,
				refusedWith401: refused.length,
				refusedPerWorker: countBy(refused, (r) => workers.get(r) ?? 'unknown'),
				tokenRequestsAfterRevocation: refreshes,
				duplicates: 0,
				failedItems: 0,
			});
		},
	);

	scenario(
		'a 3-second token lifetime: tokens expire while both workers are busy, no request fails, at most one refresh per refused token and worker',
		'Lifetime',
		async () => {
			const list = batches(4, 20, 100);
			await e2e.submit('Lifetime', list);
			const { records } = await settled('Lifetime', list, 20);
			const refused = records.filter((r) => r.status === 401);
			const refusedTokens = new Set(refused.map(tokenOf));
			const tokens = tokenRequests(records).length;
			// A first token per worker, then per worker at most one per token Upvest refused.
			expect(tokens).toBeLessThanOrEqual(WORKERS.length * (1 + refusedTokens.size));
			record('lifetime', {
				executions: 20,
				items: 2000,
				tokenTtlSeconds: 3,
				refusedWith401: refused.length,
				tokensRefused: refusedTokens.size,
				tokenRequests: tokens,
				duplicates: 0,
				failedItems: 0,
			});
		},
		{ tokenTtlSeconds: 3 },
	);

	scenario(
		'a storm of 160 answers 429 with Retry-After: 1 hits both workers: every item created once, Retry-After honoured',
		'Storm',
		async () => {
			const list = batches(5, 20, 100);
			await e2e.submit('Storm', list);
			await waitFor('300 account groups', () => e2e.sim.state.accountGroups.length >= 300);
			e2e.sim.setFaults([
				{
					path: '/account_groups',
					method: 'POST',
					kind: 'status',
					status: 429,
					retryAfter: 1,
					count: 160,
				},
			]);
			const { executions, records } = await settled('Storm', list, 20);
			const throttled = records.filter((r) => r.status === 429);
			expect(throttled).toHaveLength(160);
			const workers = await e2e.requestWorkers(list, executions);
			const perWorker = countBy(throttled, (r) => workers.get(r) ?? 'unknown');
			for (const worker of WORKERS) expect(perWorker[worker]).toBeGreaterThan(0);
			// The same item (idempotency key) came back no sooner than Retry-After said.
			const byKey = new Map<string, SimulatorRecord[]>();
			for (const r of apiRequests(records))
				byKey.set(r.idempotencyKey ?? '', [...(byKey.get(r.idempotencyKey ?? '') ?? []), r]);
			const gaps: number[] = [];
			for (const attempts of byKey.values()) {
				attempts.forEach((attempt, index) => {
					const next = attempts[index + 1];
					if (attempt.status === 429 && next !== undefined)
						gaps.push(receivedAt(next) - receivedAt(attempt));
				});
			}
			expect(gaps.length).toBeGreaterThan(0);
			expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
			record('storm', {
				executions: 20,
				items: 2000,
				answered429: throttled.length,
				answered429PerWorker: perWorker,
				itemsThrottled: gaps.length,
				mostAttemptsForOneItem: Math.max(...[...byKey.values()].map((a) => a.length)),
				shortestRetryAfterGapMs: Math.min(...gaps),
				tokenRequests: tokenRequests(records).length,
				duplicates: 0,
				failedItems: 0,
			});
		},
	);

	scenario(
		'a worker is killed (SIGKILL) in the middle of an execution; the same input posted again creates the rest and nothing twice',
		'Killed',
		async () => {
			const list = batches(6, 1, 300);
			await e2e.submit('Killed', list);
			await waitFor('60 account groups', () => e2e.sim.state.accountGroups.length >= 60);
			const [running] = await e2e.executions('Killed');
			const worker = e2e.cluster.workerOf(running.id);
			if (worker === undefined) throw new Error(`no worker log names execution ${running.id}`);
			const status = await worker.kill();
			expect(status?.signal).toBe('SIGKILL');
			const createdAtKill = e2e.sim.state.accountGroups.length;
			expect(createdAtKill).toBeLessThan(300);
			// Requests the dead worker had in flight may still be answered (and created) now.
			await sleep(1000);
			const createdBeforeRerun = e2e.sim.state.accountGroups.length;
			const seqBefore = lastSeq(e2e.sim);

			await e2e.submit('Killed', list);
			const rerun = await waitFor('the re-run to finish', async () => {
				const found = (await e2e.executions('Killed')).filter((e) => e.id !== running.id);
				return found.length === 1 && found[0].status === 'success' && found[0];
			});
			const records = e2e.records('Killed');
			expectEachCreatedOnce(list, records);
			const rerunCreates = apiRequests(records).filter(
				(r) => r.seq > seqBefore && r.status === 200,
			);
			expect(rerunCreates).toHaveLength(300);
			// The items created before the kill came back as Upvest's first answers.
			expect(rerunCreates.filter((r) => r.replayed)).toHaveLength(createdBeforeRerun);
			const killed = (await e2e.executions('Killed')).find((e) => e.id === running.id);
			record('killed', {
				items: 300,
				latencyMs: 50,
				killedWorker: worker.name,
				createdWhenKilled: createdAtKill,
				createdBeforeRerun,
				rerunRanOn: e2e.workerOf(rerun),
				replayedOnRerun: createdBeforeRerun,
				createdOnRerun: 300 - createdBeforeRerun,
				killedExecutionStatus: killed?.status,
				tokenRequests: tokenRequests(records).length,
				duplicates: 0,
			});
		},
		{ latencyMs: 50 },
	);
});
