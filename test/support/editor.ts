/**
 * The session of one browser test file: an Upvest simulator, `n8n start` (the version under test,
 * a fresh user folder, the simulator credential and the file's workflows imported), headless
 * Chromium (scripts/browser.js) signed in as the local owner. All on 127.0.0.1; the browser cannot
 * resolve any other host. Everything is stopped in afterAll by its PID.
 *
 * Screenshots, the browser's console errors, requests that left 127.0.0.1 and the n8n log go to
 * test-artifacts/browser/<name>/; a failing test also leaves FAILED-<test>.png, its page's DOM and
 * the n8n log there. Page actions are in ./editor-page.
 */
import { sleep } from 'n8n-workflow';
import type { BoundingBox, Browser, Page } from 'puppeteer-core';

import { artifactPath, cleanArtifacts, writeArtifact } from '../../scripts/artifacts';
import { launchBrowser } from '../../scripts/browser';
import { e2eEnv } from '../../scripts/e2e-env';
import {
	createInstance,
	credentialFor,
	ensureBuilt,
	ensureN8n,
	findFreePorts,
	LOCAL_OWNER,
	logger,
} from '../../scripts/n8n-runtime';
import { INSTALL_TIMEOUT, VERSION, type N8nInstance } from './e2e';
import {
	parametersOverflow,
	parametersPanelBox,
	runFromEditor,
	settle,
	UI_TIMEOUT,
} from './editor-page';
import { startSimulator, type Simulator, type SimulatorRecord } from './simulator';

type Json = Record<string, unknown>;

const VIEWPORT = { width: 1600, height: 1000 };

export interface EditorSession {
	readonly sim: Simulator;
	readonly n8n: N8nInstance;
	log(message: string): void;
	/** Saves a screenshot as test-artifacts/browser/<name>/<file>.png; resolves its path. */
	shot(page: Page, file: string): Promise<string>;
	/**
	 * The same, of the open node's parameter panel alone (its tabs and every parameter), with the
	 * window made tall enough to show every parameter without scrolling (set back afterwards).
	 */
	panelShot(page: Page, file: string): Promise<string>;
	/**
	 * Opens the workflow in a new tab (canvas shown) and runs `body` on it; on failure keeps a
	 * screenshot, the page's DOM and the n8n log. Closes the tab.
	 */
	withWorkflow(
		workflowId: string,
		test: string,
		body: (page: Page) => Promise<void>,
	): Promise<void>;
	/** GET /rest/<path> as the signed-in owner: the answer's `data`. */
	restGet<T>(urlPath: string): Promise<T>;
	/**
	 * Waits until n8n stored the node with parameters that contain `expected` and none of `absent`
	 * (the editor saves on its own). n8n leaves out parameters that have their default value.
	 */
	waitForStoredParameters(
		workflowId: string,
		nodeName: string,
		expected: Json,
		absent?: string[],
	): Promise<Json>;
	/**
	 * Clicks "Execute workflow" and waits until `nodeName` shows success or error; resolves that
	 * status's test id and the simulator's records of the run (also kept as <file>.simulator.json).
	 */
	run(
		page: Page,
		nodeName: string,
		file: string,
	): Promise<{ outcome: string | null; records: SimulatorRecord[] }>;
}

/** `expected`'s keys (deeply) have the same values in `actual`. */
function contains(actual: unknown, expected: unknown): boolean {
	if (expected === null || typeof expected !== 'object') return actual === expected;
	if (actual === null || typeof actual !== 'object') return false;
	return Object.entries(expected).every(([key, value]) => contains((actual as Json)[key], value));
}

/** Registers the file's beforeAll/afterAll; `workflows` are imported once the simulator's URL is known. */
export function useEditorSession(
	name: string,
	setup: { workflows: (sim: Simulator) => object[]; simulatorOptions?: object },
): EditorSession {
	const dir = `browser/${name}`;
	const log = logger(`browser-${name} ${VERSION}`);
	const browserLog: string[] = [];
	const externalRequests = new Set<string>();
	let sim: Simulator | undefined;
	let n8n: N8nInstance | undefined;
	let chromium: Awaited<ReturnType<typeof launchBrowser>> | undefined;
	let authCookie = '';

	const ready = <T>(value: T | undefined, what: string): T => {
		if (value === undefined) throw new Error(`${what} did not start (see beforeAll)`);
		return value;
	};
	const browser = (): Browser => ready(chromium, 'the browser').browser;

	async function shot(page: Page, file: string, clip?: BoundingBox) {
		await settle(page);
		const path = artifactPath(dir, `${file}.png`);
		await page.screenshot({ path: path as `${string}.png`, clip });
		return path;
	}

	async function panelShot(page: Page, file: string) {
		const overflow = await parametersOverflow(page);
		await page.setViewport({ ...VIEWPORT, height: VIEWPORT.height + overflow });
		try {
			await settle(page);
			return await shot(page, file, await parametersPanelBox(page));
		} finally {
			await page.setViewport(VIEWPORT);
		}
	}

	async function newPage(): Promise<Page> {
		const page = await browser().newPage();
		await page.setViewport(VIEWPORT);
		page.setDefaultTimeout(UI_TIMEOUT);
		page.on('pageerror', (error) =>
			browserLog.push(`pageerror: ${error instanceof Error ? error.message : String(error)}`),
		);
		page.on('console', (message) => {
			if (message.type() === 'error')
				browserLog.push(`console.error: ${message.text()} (${message.location()?.url ?? ''})`);
		});
		page.on('response', (response) => {
			if (response.status() >= 400)
				browserLog.push(
					`HTTP ${response.status()} ${response.request().method()} ${response.url()}`,
				);
		});
		page.on('request', (request) => {
			const url = request.url();
			if (!/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:|about:)/.test(url)) externalRequests.add(url);
		});
		return page;
	}

	async function signIn() {
		const page = await newPage();
		await page.goto(`${ready(n8n, 'n8n').url}/signin`, { waitUntil: 'domcontentloaded' });
		const email = await page.waitForSelector('input[name="emailOrLdapLoginId"]', { visible: true });
		await email!.type(LOCAL_OWNER.email);
		await page.type('input[name="password"]', LOCAL_OWNER.password);
		await shot(page, '00-signin');
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForFunction(() => !location.pathname.startsWith('/signin'), {
			timeout: UI_TIMEOUT,
		});
		await page.close();
	}

	async function openWorkflow(workflowId: string): Promise<Page> {
		const page = await newPage();
		await page.goto(ready(n8n, 'n8n').editorUrl(workflowId), { waitUntil: 'domcontentloaded' });
		if (new URL(page.url()).pathname.startsWith('/signin'))
			throw new Error('the editor asked to sign in again');
		await page.waitForSelector('[data-test-id="canvas-node"]', { visible: true, timeout: 60_000 });
		return page;
	}

	async function keepFailure(page: Page, test: string) {
		if (!page.isClosed()) {
			await shot(page, `FAILED-${test}`).catch(() => undefined);
			const dom = await page.content().catch(() => '');
			writeArtifact(`${dir}/FAILED-${test}.html`, dom.replace(/<svg[\s\S]*?<\/svg>/g, '<svg/>'));
		}
		if (n8n) writeArtifact(`${dir}/FAILED-${test}.n8n.log`, n8n.logs());
	}

	beforeAll(async () => {
		const started = Date.now();
		const seconds = () => Math.round((Date.now() - started) / 1000);
		cleanArtifacts(dir);
		ensureN8n({ version: VERSION, log });
		ensureBuilt({ log });
		// Resources keep the status they were created with, so what the editor shows is stable.
		sim = await startSimulator({ port: 0, activationDelayMs: null, ...setup.simulatorOptions });
		const [port, brokerPort] = await findFreePorts(2);
		// A fresh user folder each run: no owner, executions or editor state from an earlier run.
		n8n = createInstance({
			version: VERSION,
			name: `browser-${name}`,
			temporary: true,
			port,
			brokerPort,
			log,
		});
		await n8n.importCredentials([credentialFor(sim.url)]);
		await n8n.importWorkflow(setup.workflows(sim));
		await n8n.start();
		({ cookie: authCookie } = await n8n.setupOwner(LOCAL_OWNER));
		log(`n8n ${n8n.url} (pid ${n8n.pid}), simulator ${sim.url}, ready after ${seconds()} s`);
		chromium = await launchBrowser(VIEWPORT);
		log(`chromium ${await chromium.browser.version()} (pid ${chromium.pid})`);
		await signIn();
		log(`signed in; setup took ${seconds()} s`);
	}, INSTALL_TIMEOUT);

	afterAll(async () => {
		const notes = [
			...browserLog,
			...[...externalRequests].map((url) => `request outside 127.0.0.1: ${url}`),
		];
		if (notes.length > 0) writeArtifact(`${dir}/browser-console.log`, `${notes.join('\n')}\n`);
		await chromium?.close();
		if (n8n) writeArtifact(`${dir}/n8n.log`, n8n.logs());
		await n8n?.remove({ keep: e2eEnv.keepInstances });
		await sim?.close();
	}, 60_000);

	const restGet = async <T>(urlPath: string) =>
		(await ready(n8n, 'n8n').restGet(urlPath, authCookie)) as T;

	return {
		get sim() {
			return ready(sim, 'the simulator');
		},
		get n8n() {
			return ready(n8n, 'n8n');
		},
		log,
		shot: (page, file) => shot(page, file),
		panelShot,
		restGet,

		async withWorkflow(workflowId, test, body) {
			const page = await openWorkflow(workflowId);
			let passed = false;
			try {
				await body(page);
				passed = true;
			} finally {
				if (!passed) await keepFailure(page, test);
				await page.close();
			}
		},

		async waitForStoredParameters(workflowId, nodeName, expected, absent = []) {
			const deadline = Date.now() + UI_TIMEOUT;
			let stored: Json | undefined;
			for (;;) {
				const workflow = await restGet<{ nodes: Array<{ name: string; parameters: Json }> }>(
					`/rest/workflows/${workflowId}`,
				);
				stored = workflow.nodes.find((node) => node.name === nodeName)?.parameters;
				const done = contains(stored, expected) && absent.every((key) => !(key in (stored ?? {})));
				if (done || Date.now() > deadline) break;
				await sleep(250); // polls the REST API; the editor saves when it sees fit
			}
			expect(stored).toMatchObject(expected);
			for (const key of absent) expect(stored).not.toHaveProperty(key);
			return stored as Json;
		},

		async run(page, nodeName, file) {
			const records = () => ready(sim, 'the simulator').requests;
			const before = records();
			const since = before.length > 0 ? before[before.length - 1].seq : 0;
			const started = Date.now();
			const outcome = await runFromEditor(page, nodeName);
			log(`${file}: run from the editor finished in ${Date.now() - started} ms: ${outcome}`);
			const run = records().filter((record) => record.seq > since);
			writeArtifact(`${dir}/${file}.simulator.json`, run);
			return { outcome, records: run };
		},
	};
}
