/**
 * Reliability end to end: 200 account groups through one Upvest node in a real n8n (`n8n execute`)
 * while the simulator answers 429 (with and without Retry-After) and 503 and drops connections
 * after creating. Every item succeeds, exactly once. Figures: test-artifacts/reliability.json.
 */
import { describeOnN8n, output, reportFigures, testInOwnEnv } from '../support/reliability-env';
import {
	apiRecords,
	count,
	created,
	groupBy,
	ownerOf,
	tokenRecords,
	UUID,
	type WireRecord,
} from '../support/reliability-records';
import { runUnderFaults } from '../support/reliability-scenarios';
import {
	accountGroupsWorkflow,
	FAULT_SEED,
	GROUP_FAULTS,
	groupInputs,
	GROUPS_NODE,
	mappedKey,
	SCENARIO_SETTINGS,
	workflowCase,
} from '../support/reliability-workflows';

const CASE = workflowCase(
	accountGroupsWorkflow,
	'UpvestRelFaults001',
	groupInputs('CUST', 200),
	SCENARIO_SETTINGS.faults,
);
const ITEMS = CASE.items;

describeOnN8n(() => {
	testInOwnEnv(
		'200 items under 429 / 503 / dropped connections: every item succeeds, exactly 200 account groups, none twice',
		{ name: 'faults', ...CASE.imports, executions: 1 },
		async (env) => {
			const started = Date.now();
			const { execution, applied } = await runUnderFaults(env, CASE.workflow.id);
			const records = execution.records;
			const api = apiRecords(records, '/account_groups');
			const stored = env.sim.state.accountGroups;

			// Every output item is a success, in input order, paired to its input, and is what Upvest holds.
			const items = output(execution, GROUPS_NODE);
			expect(items).toHaveLength(ITEMS.length);
			items.forEach((item, i) => {
				expect(item.json.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: i });
				expect(item.json).toMatchObject({ user_id: ITEMS[i].userId, type: 'PERSONAL' });
				expect(item.json).toStrictEqual(stored.find((group) => group.id === item.json.id));
			});

			// Exactly 200 account groups, each input owner once.
			expect(stored).toHaveLength(ITEMS.length);
			const owners = stored.map((group) => group.user_id);
			expect(new Set(owners)).toEqual(new Set(ITEMS.map((input) => input.userId)));
			expect(new Set(items.map((item) => item.json.id)).size).toBe(ITEMS.length);

			// Per owner: the key mapped from its customer ID on every attempt, exactly one request that
			// created, exactly one answer that reached n8n, and nothing after it; an answer lost after
			// creating is followed by a replay.
			const byOwner = groupBy(api, ownerOf);
			expect(byOwner.size).toBe(ITEMS.length);
			for (const input of ITEMS) {
				const attempts = byOwner.get(input.userId) ?? [];
				const key = mappedKey('/account_groups', input.customerId);
				expect(key).toMatch(UUID);
				expect({
					owner: input.userId,
					keys: [...new Set(attempts.map((r) => r.idempotencyKey))],
				}).toEqual({ owner: input.userId, keys: [key] });
				expect({ owner: input.userId, created: count(attempts, created) }).toEqual({
					owner: input.userId,
					created: 1,
				});
				expect({
					owner: input.userId,
					answered: count(attempts, (r) => r.status === 200),
				}).toEqual({ owner: input.userId, answered: 1 });
				const last = attempts[attempts.length - 1];
				expect(last.status).toBe(200);
				if (attempts.some((r) => r.fault === 'drop-after-create')) {
					expect(last.replayed).toBe(true);
				}
			}
			expect(new Set(api.map((r) => r.idempotencyKey)).size).toBe(ITEMS.length);
			// Only the injected failures and successes: no 4xx from a bad resend (422: key reused with another body).
			expect(new Set(api.map((r) => r.status))).toEqual(new Set([200, 429, 503, null]));
			for (const r of api.filter((x) => x.status === null))
				expect(r.fault).toBe('drop-after-create');

			// Every fault kind really happened, one token for the whole run, every request signed correctly.
			applied.forEach((n) => expect(n).toBeGreaterThan(0));
			expect(tokenRecords(records)).toHaveLength(1);
			expect(records[0].tokenRequest).toBe(true);
			expect(env.signatures.problems(records)).toEqual([]);

			// Retry-After is honoured: at least as many 429s as carried "Retry-After: 1" were retried
			// no sooner than a second later (backoff alone waits 125-250 ms after a first 429).
			const retryGaps = api
				.filter((r) => r.status === 429)
				.map((r) => {
					const retry = api.find(
						(x) => x.seq > r.seq && x.idempotencyKey === r.idempotencyKey,
					) as WireRecord;
					return Date.parse(retry.receivedAt) - Date.parse(r.receivedAt);
				});
			const waitedASecond = count(retryGaps, (ms) => ms >= 990);
			expect(waitedASecond).toBeGreaterThanOrEqual(applied[0]);

			const attemptsPerItem = [...byOwner.values()].map((attempts) => attempts.length);
			reportFigures('faults', {
				items: ITEMS.length,
				concurrency: SCENARIO_SETTINGS.faults.concurrency,
				maxAttempts: SCENARIO_SETTINGS.faults.maxAttempts,
				faultSeed: FAULT_SEED,
				faultRatesPerAttempt: Object.fromEntries(GROUP_FAULTS.map((f) => [f.name, f.rate])),
				faultsInjected: Object.fromEntries(GROUP_FAULTS.map((f, i) => [f.name, applied[i]])),
				faultsInjectedTotal: applied.reduce((a, b) => a + b, 0),
				attempts: api.length,
				retries: api.length - ITEMS.length,
				itemsRetried: count(attemptsPerItem, (n) => n > 1),
				mostAttemptsForOneItem: Math.max(...attemptsPerItem),
				rateLimitedRetriesSentAfterAtLeast1s: waitedASecond,
				replaysServed: count(api, (r) => r.replayed && r.status === 200),
				replaysLostToAnotherDrop: count(api, (r) => r.replayed && r.status === null),
				successOutputs: count(items, (item) => typeof item.json.id === 'string'),
				errorOutputs: count(items, (item) => item.json.error !== undefined),
				accountGroups: stored.length,
				distinctOwners: new Set(owners).size,
				tokenRequests: tokenRecords(records).length,
				requestsSignedAndVerified: records.length,
				executionMs:
					Date.parse(String(execution.run?.stoppedAt)) -
					Date.parse(String(execution.run?.startedAt)),
				cliMs: execution.ms,
				wallMs: Date.now() - started,
			});
		},
	);
});
