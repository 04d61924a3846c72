/**
 * What the queue-mode end-to-end tests share: one simulator in this process (its own API client per
 * scenario, so no worker's cached token crosses scenarios), one n8n cluster in queue mode
 * (scripts/queue/cluster.js: Postgres, Redis, a main and two workers) with one credential and one
 * webhook-started onboarding workflow per scenario, and around them: submitting batches of
 * customers at once, waiting for their executions, telling which worker ran which batch and which
 * worker used which token, the checks every scenario ends with, and the logs of every process in
 * test-artifacts/e2e/<version>/queue-mode-* when a test fails.
 */
import { writeArtifact } from '../../scripts/artifacts';
import { e2eEnv } from '../../scripts/e2e-env';
import { ensureBuilt, ensureN8n, logger } from '../../scripts/n8n-runtime';
import { startQueueCluster } from '../../scripts/queue/cluster';
import type { workerControl } from '../../scripts/queue/worker';
import {
	clientCredential,
	clientRegistration,
	newClient,
	onboardingWorkflow,
} from '../../scripts/queue/workflows';
import { startSimulator, type Simulator, type SimulatorRecord } from './simulator';
import { waitFor, type Execution } from './trigger-e2e';

export type { Execution };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultClients } = require('../../simulator/fixtures') as {
	defaultClients: () => object[];
};

type Cluster = Awaited<ReturnType<typeof startQueueCluster>>;
type Worker = ReturnType<typeof workerControl>;
type Json = Record<string, unknown>;

const WAIT_MS = 240_000;
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

export interface Scenario {
	/** Names the workflow, its webhook path and its credential. */
	key: string;
	/** The Upvest node's options (concurrency, maxAttempts, ...). */
	options?: Json;
}

export interface Batch {
	label: string;
	customers: Array<{ userId: string }>;
}

/** `count` batches of `size` customers, user ids unique within the run (prefix per scenario). */
export function batches(prefix: number, count: number, size: number): Batch[] {
	return Array.from({ length: count }, (_, batch) => ({
		label: `batch-${prefix}-${batch}`,
		customers: Array.from({ length: size }, (_, index) => ({
			userId: `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${(batch * 100000 + index)
				.toString(16)
				.padStart(12, '0')}`,
		})),
	}));
}

/**
 * A record without secrets, for artifacts and failure messages: the bearer token becomes its
 * number in order of first use (`tokens` keeps the numbering across calls).
 */
export function describeRecord(tokens: Map<string, number>) {
	return (record: SimulatorRecord) => {
		const token = record.headers.authorization ?? '';
		if (token !== '' && !tokens.has(token)) tokens.set(token, tokens.size + 1);
		return {
			seq: record.seq,
			receivedAt: (record as { receivedAt?: string }).receivedAt,
			method: record.method,
			path: record.path,
			status: record.status,
			token: token === '' ? undefined : `#${tokens.get(token)}`,
			idempotencyKey: record.idempotencyKey,
			signature: record.signature?.valid,
			replayed: record.replayed,
			fault: record.fault,
		};
	};
}

interface Prepared {
	scenario: Scenario;
	client: { clientId: string; clientSecret: string; keyId: string };
	workflowId: string;
	path: string;
}

export class QueueE2e {
	constructor(
		readonly sim: Simulator,
		readonly cluster: Cluster,
		private readonly prepared: Map<string, Prepared>,
	) {}

	private get(key: string): Prepared {
		const found = this.prepared.get(key);
		if (found === undefined) throw new Error(`no scenario ${key} was prepared`);
		return found;
	}

	/**
	 * Starts every worker that is not running (a scenario before may have killed one), empties the
	 * simulator (resources, records, tokens, faults), sets its latency, activates the workflow.
	 */
	async fresh(key: string, config: Json = {}): Promise<void> {
		const workers: Worker[] = this.cluster.workers;
		const stopped = workers.filter((worker) => !worker.running);
		await Promise.all(stopped.map(async (worker) => await worker.start()));
		this.sim.reset();
		this.sim.setConfig({ latencyMs: 20, tokenTtlSeconds: 1799, ...config });
		await this.cluster.activate(this.get(key).workflowId);
	}

	/** Posts every batch to the scenario's webhook at once; each answer must be 200. */
	async submit(key: string, list: Batch[]): Promise<void> {
		const { path } = this.get(key);
		const answers = await Promise.all(
			list.map(
				async ({ label, customers }) =>
					await this.cluster.postWebhook(path, { batch: label, customers }),
			),
		);
		const refused = answers.filter((answer) => answer.status !== 200);
		if (refused.length > 0)
			throw new Error(`webhook answered ${refused[0].status}: ${refused[0].text.slice(0, 500)}`);
	}

	/** The scenario's executions, oldest first. */
	async executions(key: string): Promise<Execution[]> {
		return (await this.cluster.executions(this.get(key).workflowId)) as Execution[];
	}

	/** Waits until the scenario has `count` executions and all have finished. */
	async settle(key: string, count: number): Promise<Execution[]> {
		return await waitFor(
			`${count} finished executions of ${key}`,
			async () => {
				const list = await this.executions(key);
				return (
					list.length >= count &&
					list.every((execution) => FINISHED.includes(execution.status)) &&
					list
				);
			},
			WAIT_MS,
		);
	}

	/** The batch label each execution received, from its webhook node's output. */
	async batchOf(execution: Execution): Promise<string> {
		const runData = (await this.cluster.runData(execution.id)) as Record<
			string,
			Array<{ data?: { main?: Array<Array<{ json: { body?: { batch?: string } } }>> } }>
		>;
		return String(runData['New customers']?.[0]?.data?.main?.[0]?.[0]?.json.body?.batch);
	}

	/** The worker that started the execution, by its log; 'none' when no worker log names it. */
	workerOf(execution: Execution): string {
		return this.cluster.workerOf(execution.id)?.name ?? 'none';
	}

	/** The scenario's requests (its client's), token requests included, in arrival order. */
	records(key: string): SimulatorRecord[] {
		const { clientId } = this.get(key).client;
		return this.sim.requests.filter((record) => record.headers['upvest-client-id'] === clientId);
	}

	/** Account groups created per user id of the scenario's customers. */
	groupsPerUser(list: Batch[]): Map<string, number> {
		const counts = new Map<string, number>();
		for (const batch of list) for (const { userId } of batch.customers) counts.set(userId, 0);
		for (const group of this.sim.state.accountGroups) {
			const owner = (group.users as Array<{ id?: string }> | undefined)?.[0]?.id ?? group.user_id;
			if (typeof owner === 'string' && counts.has(owner))
				counts.set(owner, (counts.get(owner) ?? 0) + 1);
		}
		return counts;
	}

	/**
	 * Which worker sent each request: its body's user → the batch → the execution → the worker's
	 * log. Token requests carry no user and map to nothing.
	 */
	async requestWorkers(
		list: Batch[],
		executions: Execution[],
	): Promise<Map<SimulatorRecord, string>> {
		const workerOfBatch = new Map<string, string>();
		for (const execution of executions)
			workerOfBatch.set(await this.batchOf(execution), this.workerOf(execution));
		const batchOfUser = new Map<string, string>();
		for (const batch of list)
			for (const { userId } of batch.customers) batchOfUser.set(userId, batch.label);
		const result = new Map<SimulatorRecord, string>();
		for (const record of this.sim.requests) {
			if (record.tokenRequest || record.body === '') continue;
			const user = (JSON.parse(record.body) as { user_id?: string }).user_id ?? '';
			const worker = workerOfBatch.get(batchOfUser.get(user) ?? '');
			if (worker !== undefined) result.set(record, worker);
		}
		return result;
	}

	/** Runs a test body; when it fails, keeps every process's log and the scenario's records. */
	async step(name: string, body: () => Promise<void>): Promise<void> {
		const failure = await body().then(
			() => undefined,
			(error: unknown) => error ?? new Error('the test failed'),
		);
		if (failure === undefined) return;
		const prefix = `e2e/${e2eEnv.n8nVersion}/queue-mode-${name}`;
		writeArtifact(`${prefix}-logs.txt`, this.cluster.logs());
		writeArtifact(`${prefix}-requests.json`, this.sim.requests.map(describeRecord(new Map())));
		throw failure;
	}

	async close(): Promise<void> {
		await this.cluster.close();
		await this.sim.close();
	}
}

/** Starts the simulator and the cluster with one credential and workflow per scenario. */
export async function startQueueE2e(scenarios: Scenario[]): Promise<QueueE2e> {
	const version = e2eEnv.n8nVersion;
	const log = logger(`e2e queue-mode ${version}`);
	ensureN8n({ version, log });
	if (e2eEnv.packageDir === undefined) ensureBuilt({ log });
	const prepared = new Map<string, Prepared>();
	for (const [index, scenario] of scenarios.entries()) {
		const id = `UpvQueue${String(index).padStart(2, '0')}${scenario.key}`.slice(0, 20);
		prepared.set(scenario.key, {
			scenario,
			client: newClient(),
			workflowId: id,
			path: `queue-e2e-${scenario.key.toLowerCase()}`,
		});
	}
	const sim = await startSimulator({
		port: 0,
		clients: [
			...defaultClients(),
			...[...prepared.values()].map(({ client }) => clientRegistration(client)),
		],
		activationDelayMs: null,
		closeDelayMs: null,
	});
	let ready = false;
	try {
		const cluster = await startQueueCluster({
			name: 'e2e',
			workers: 2,
			version,
			packageDir: e2eEnv.packageDir,
			log,
			prepare: async (main) => {
				const list = [...prepared.values()];
				const credentials = list.map(({ client, scenario }, index) =>
					clientCredential(sim.url, client, {
						id: `UpvQueueCred${String(index).padStart(4, '0')}`,
						name: `Queue e2e ${scenario.key}`,
					}),
				);
				await main.importCredentials(credentials);
				await main.importWorkflow(
					list.map(({ scenario, workflowId, path }, index) =>
						onboardingWorkflow({
							id: workflowId,
							name: `Queue e2e ${scenario.key}`,
							path,
							webhookId: `0f0e0d0c-0b0a-4009-8008-${String(index).padStart(12, '0')}`,
							credential: { id: credentials[index].id, name: credentials[index].name },
							options: scenario.options,
						}),
					),
				);
			},
		});
		ready = true;
		return new QueueE2e(sim, cluster, prepared);
	} finally {
		if (!ready) await sim.close();
	}
}
