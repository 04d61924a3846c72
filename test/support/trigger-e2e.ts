/**
 * The setup of the end-to-end files that run `n8n start` with triggers (test/e2e/trigger.test.ts,
 * and through test/support/onboarding-e2e.ts the onboarding files): one simulator in this process
 * (free port, fast webhook and status timings), one n8n run with `n8n start` (free ports, the
 * package as a community package), the owner signed in, and two credentials: the simulator's test
 * client with every scope the examples need and the webhook scopes (the credential id the examples
 * reference), and an Ed25519 one for the workflows that create account groups with `n8n execute`. Around them: a clean start per test,
 * waiting on deliveries and executions with deadlines, and the n8n log and the simulator's
 * deliveries in test-artifacts/e2e/<version>/<name>-<test>-* when a test fails.
 */
import { sleep } from 'n8n-workflow';

import { writeArtifact } from '../../scripts/artifacts';
import { e2eEnv } from '../../scripts/e2e-env';
import { signedInClient } from '../../scripts/n8n-rest';
import {
	createInstance,
	credentialFor,
	EXAMPLE_SCOPES,
	ensureBuilt,
	ensureN8n,
	findFreePorts,
	logger,
	nodeOutput,
} from '../../scripts/n8n-runtime';
import { productionWebhookUrl } from '../../scripts/trigger-workflows';
import { startSimulator, type DeliveryRecord, type Simulator } from './simulator';

type Json = Record<string, unknown>;
type Instance = ReturnType<typeof createInstance>;
type Rest = Awaited<ReturnType<typeof signedInClient>>;

/**
 * Statuses move by themselves, quickly; checks pass after 300 ms; retries are a hundred times
 * faster than Upvest's. Every test starts from this config (a test may change it).
 */
const SIMULATOR_CONFIG = {
	activationDelayMs: 500,
	closeDelayMs: null,
	checkDelayMs: 300,
	checkOutcome: 'PASSED',
	webhookBatchDelayMs: 150,
	webhookRetryScale: 0.01,
};
/** The examples' credential: every scope they need, and reading webhooks. */
const WEBHOOK_SCOPES = `${EXAMPLE_SCOPES} webhooks:read`;
const CREATOR = { id: 'UpvestTrgCred0002', name: 'E2E trigger: create account groups' };
const WAIT_MS = 90_000;
const POLL_MS = 200;
const UNFINISHED = ['new', 'running', 'waiting'];

export interface CredentialRef {
	id: string;
	name: string;
}

export interface Execution {
	id: string;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt?: string | null;
	run?: unknown;
}

export interface TriggerE2eOptions {
	/** Names the instance folder and the artifacts. */
	name: string;
	/** The workflows to import, built with the two credentials. */
	workflows: (credentials: { trigger: CredentialRef; creator: CredentialRef }) => object[];
	/** Workflows that start with a trigger (Upvest Trigger, Form Trigger): `fresh()` deactivates them. */
	triggerWorkflows: string[];
	/** Extra environment of n8n, e.g. `N8N_LOG_LEVEL`. */
	n8nEnv?: Record<string, string>;
}

/** Fails with the CLI's error when `n8n execute` did not succeed. */
export function assertRun(
	result: { exitCode: number | null; error?: string; stderr: string },
	id: string,
) {
	if (result.exitCode !== 0) {
		throw new Error(
			`n8n execute ${id} failed (exit ${result.exitCode}): ${result.error ?? result.stderr}`,
		);
	}
}

/** Polls `probe` until it gives a value, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = WAIT_MS,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(POLL_MS);
	}
}

export class TriggerE2e {
	/** Executions up to this id belong to earlier tests. */
	private floor = 0;

	private markers = 0;

	constructor(
		readonly sim: Simulator,
		readonly n8n: Instance,
		public rest: Rest,
		private readonly options: TriggerE2eOptions,
	) {}

	webhookUrl(webhookId: string): string {
		return productionWebhookUrl(this.n8n.url, webhookId);
	}

	/** Deactivates every trigger workflow, empties the simulator, then activates `active`. */
	async fresh(...active: string[]): Promise<void> {
		let floor = 0;
		for (const id of this.options.triggerWorkflows) {
			if ((await this.rest.getWorkflow(id)).active) await this.rest.deactivate(id);
			for (const execution of await this.rest.executions(id)) {
				floor = Math.max(floor, Number(execution.id));
			}
		}
		this.floor = floor;
		this.sim.reset();
		this.sim.setConfig(SIMULATOR_CONFIG);
		for (const id of active) await this.rest.activate(id);
	}

	/** This test's executions of the workflow, oldest first (summaries, no run data). */
	async executions(workflowId: string): Promise<Execution[]> {
		const all = (await this.rest.executions(workflowId)) as Execution[];
		return all.filter((execution) => Number(execution.id) > this.floor);
	}

	/** The json of a node's output items in an execution read with run data. */
	items(execution: Execution, nodeName: string): Json[] {
		return ((nodeOutput(execution.run, nodeName) ?? []) as Array<{ json: Json }>).map(
			(item) => item.json,
		);
	}

	/** Deliveries the receiver answered 200 (not injected ones), oldest first. */
	delivered(): DeliveryRecord[] {
		return this.sim.deliveries.filter((delivery) => delivery.status === 200 && !delivery.injected);
	}

	/**
	 * Waits until `eventCount` events were delivered and answered 200 and every delivery that passed
	 * events on has a finished execution; answers both, executions with their run data.
	 */
	async settle(workflowId: string, eventCount: number) {
		const deliveries = await waitFor(`${eventCount} events delivered`, () => {
			const done = this.delivered();
			return new Set(done.flatMap((delivery) => delivery.eventIds)).size >= eventCount && done;
		});
		const started = deliveries.filter(
			(delivery) => JSON.parse(delivery.answer ?? '{}').passedOn > 0,
		);
		const summaries = await waitFor(`${started.length} finished executions`, async () => {
			const list = await this.executions(workflowId);
			const finished = list.every((execution) => !UNFINISHED.includes(execution.status));
			return list.length >= started.length && finished && list;
		});
		const executions = await Promise.all(
			summaries.map(async (summary) => (await this.rest.execution(summary.id)) as Execution),
		);
		return { deliveries: started, executions };
	}

	/**
	 * Emits one more event and waits for the execution it starts: every delivery before it was
	 * answered first, so a count taken afterwards is final.
	 */
	async barrier(workflowId: string, triggerName: string, type = 'ACCOUNT_GROUP.CREATED') {
		const id = `marker-${++this.markers}`;
		this.sim.emitEvent(type, { id, type: 'PERSONAL', status: 'ACTIVE', users: [] });
		return await waitFor(`the execution of ${id}`, async () => {
			for (const summary of (await this.executions(workflowId)).reverse()) {
				if (UNFINISHED.includes(summary.status)) return undefined;
				const execution = (await this.rest.execution(summary.id)) as Execution;
				const objects = this.items(execution, triggerName).map((item) => item.object as Json);
				if (objects.some((object) => object?.id === id)) return execution;
			}
			return undefined;
		});
	}

	/** Stops n8n and starts the same instance again, then signs in again. */
	async restart(): Promise<void> {
		await this.n8n.stop();
		await this.n8n.start();
		this.rest = await signedInClient(this.n8n);
	}

	/** Runs a test body; when it fails, keeps the n8n log and the simulator's deliveries. */
	async step(name: string, body: () => Promise<void>): Promise<void> {
		const failure = await body().then(
			() => undefined,
			(error: unknown) => error ?? new Error('the test failed'),
		);
		if (failure === undefined) return;
		const prefix = `e2e/${this.n8n.version}/${this.options.name}-${name}`;
		writeArtifact(`${prefix}-n8n.log`, this.n8n.logs());
		writeArtifact(`${prefix}-deliveries.json`, this.sim.deliveries);
		writeArtifact(
			`${prefix}-requests.json`,
			this.sim.requests.map(({ seq, method, path, status, signature }) => ({
				seq,
				method,
				path,
				status,
				signature,
			})),
		);
		throw failure;
	}

	async close(): Promise<void> {
		await this.n8n.remove({ keep: e2eEnv.keepInstances });
		await this.sim.close();
	}
}

export async function startTriggerE2e(options: TriggerE2eOptions): Promise<TriggerE2e> {
	const version = e2eEnv.n8nVersion;
	const log = logger(`e2e ${options.name} ${version}`);
	ensureN8n({ version, log });
	if (e2eEnv.packageDir === undefined) ensureBuilt({ log });
	const sim = await startSimulator({ port: 0, ...SIMULATOR_CONFIG });
	const [port, brokerPort] = await findFreePorts(2);
	const n8n = createInstance({
		version,
		name: `e2e-${options.name}`,
		temporary: true,
		port,
		brokerPort,
		packageDir: e2eEnv.packageDir,
		log,
		env: options.n8nEnv,
	});
	let ready = false;
	try {
		const trigger = credentialFor(sim.url, 'ecdsa', { scopes: WEBHOOK_SCOPES });
		await n8n.importCredentials([trigger, credentialFor(sim.url, 'ed25519', CREATOR)]);
		const triggerRef = { id: trigger.id, name: trigger.name };
		await n8n.importWorkflow(options.workflows({ trigger: triggerRef, creator: CREATOR }));
		await n8n.start();
		const e2e = new TriggerE2e(sim, n8n, await signedInClient(n8n), options);
		ready = true;
		return e2e;
	} finally {
		if (!ready) {
			await n8n.remove({ keep: e2eEnv.keepInstances });
			await sim.close();
		}
	}
}
