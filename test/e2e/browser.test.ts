/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * End-to-end in a real browser: n8n's editor (2.8.4) (served by `n8n start` on 127.0.0.1) driven with
 * puppeteer-core and Debian's headless Chromium. It checks that the Upvest node's parameters switch
 * in the UI (Owner Type, Entity Type) and that a workflow started from the editor reaches the local
 * Upvest simulator with a valid signature and shows the created account group in the output panel.
 *
 * Screenshots of every step go to test-artifacts/browser/. docs/editor-upvest-node.png (README) is
 * written when it is missing or when UPVEST_UPDATE_DOCS_SCREENSHOT=1.
 *
 * Everything listens on 127.0.0.1; the browser cannot resolve any other host. The simulator, n8n and
 * Chromium (scripts/browser.js) are started here and stopped in afterAll by their PIDs.
 *
 * Selectors are n8n 2.8.4's own data-test-id attributes (checked in the running editor):
 *   sign-in:   input[name="emailOrLdapLoginId"], input[name="password"], [data-test-id="form-submit-button"]
 *   canvas:    [data-test-id="canvas-node"][data-node-name="<node name>"], [data-test-id="execute-workflow-button"],
 *              [data-test-id="canvas-node-status-success"] / [data-test-id="canvas-node-status-error"] inside a node
 *   node view: [data-test-id="ndv"], [data-test-id="ndv-close-button"], [data-test-id="node-parameters"],
 *              [data-test-id="parameter-item"] label[for="<parameter name>"] (its visible label text),
 *              [data-test-id="parameter-input-<parameter name>"] input (options: a readonly combobox whose
 *              aria-controls names the listbox), [data-test-id="parameter-input-item"] .option-headline (options)
 *   output:    [data-test-id="output-panel"] [data-test-id="radio-button-json"], [data-test-id="ndv-data-container"]
 */
import { sleep } from 'n8n-workflow';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';

import exampleJson from '../../examples/onboard-a-family.workflow.json';
import {
	artifactPath,
	cleanArtifacts,
	publishToDocs,
	writeArtifact,
} from '../../scripts/artifacts';
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
	n8nInstall,
	NODE_TYPE,
	SIMULATOR_CREDENTIAL,
} from '../../scripts/n8n-runtime';
import { startSimulator, type Simulator, type SimulatorRecord } from '../support/simulator';

type Json = Record<string, unknown>;

const INSTALL_TIMEOUT = 20 * 60_000; // a cold n8n install takes up to about 10 min on 2 busy cores
const TEST_TIMEOUT = 120_000;
const UI_TIMEOUT = 20_000; // a single UI reaction (panel opens, field appears)
const RUN_TIMEOUT = 60_000; // a workflow run started from the editor

const VIEWPORT = { width: 1600, height: 1000 };
const VERSION = e2eEnv.n8nVersion;
const example: { id: string } = exampleJson;

const USER_ID = '413715f2-5401-4b97-8055-034a6b879f8c';
const ACCOUNT_GROUP_WORKFLOW_ID = 'UpvestBrowserAg001';
const ACCOUNT_GROUP_NODE = 'Create account group';
const ROLE_NODE = 'Add guardian'; // in the example workflow

const ACCOUNT_GROUP_TYPES = ['Child', 'French PEA', 'ISA', 'Legal Entity', 'Personal'];
const BUSINESS_ROLE_TYPES = [
	'Authorised Signatory',
	'Contracting Executive',
	'Legal Representative',
	'Trader',
	'Ultimate Beneficial Owner',
];

function accountGroupWorkflow() {
	const credential = SIMULATOR_CREDENTIAL;
	return {
		id: ACCOUNT_GROUP_WORKFLOW_ID,
		name: 'Browser E2E: create an account group',
		active: false,
		nodes: [
			{
				id: '0b7e0000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '0b7e0000-0000-4000-8000-000000000002',
				name: ACCOUNT_GROUP_NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'accountGroup',
					operation: 'create',
					ownerType: 'user',
					userId: USER_ID,
					accountGroupType: 'PERSONAL',
					additionalFields: {},
					options: {},
				},
				credentials: { upvestApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: { Start: { main: [[{ node: ACCOUNT_GROUP_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

// ---------------------------------------------------------------------------
// state shared by the tests
// ---------------------------------------------------------------------------

let sim: Simulator | undefined;
let n8n: ReturnType<typeof createInstance> | undefined;
let chromium: Awaited<ReturnType<typeof launchBrowser>> | undefined;
let browser: Browser | undefined;
let authCookie = '';
/** Role Type as the editor shows it after switching Entity Type Account Group → Business (Trader) → Account Group. */
let roleTypeAfterSwitchingBack:
	| { roleTypeShown: boolean; guardianNoticeShown: boolean }
	| undefined;

const guardianNoticeShown = (page: Page) =>
	page.evaluate(
		() =>
			document
				.querySelector('[data-test-id="node-parameters"]')
				?.textContent?.includes('Role Type: Guardian') ?? false,
	);
const browserLog: string[] = [];
const externalRequests = new Set<string>();

const log = logger(`browser-e2e ${VERSION}`);

/** The running n8n (started in beforeAll). */
function server(): NonNullable<typeof n8n> {
	if (!n8n) throw new Error('n8n did not start (see beforeAll)');
	return n8n;
}

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

/** Waits until no finite CSS animation or transition is running (popper fade-ins, panel slides). */
async function settle(page: Page) {
	await page
		.waitForFunction(
			() =>
				document
					.getAnimations()
					.filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity)
					.length === 0,
			{ timeout: 5_000, polling: 50 },
		)
		.catch(() => undefined); // a screenshot mid-animation is still better than none
}

async function shot(page: Page, name: string): Promise<string> {
	await settle(page);
	const file = artifactPath('browser', `${name}.png`);
	await page.screenshot({ path: file as `${string}.png` });
	return file;
}

/** Runs a test body; on failure keeps a screenshot of the page and the n8n log next to the others. */
async function withFailureShot(page: Page | undefined, name: string, body: () => Promise<void>) {
	let passed = false;
	try {
		await body();
		passed = true;
	} finally {
		if (!passed) {
			if (page && !page.isClosed()) await shot(page, `FAILED-${name}`).catch(() => undefined);
			if (n8n) writeArtifact(`browser/FAILED-${name}.n8n.log`, n8n.logs());
		}
	}
}

async function newPage(): Promise<Page> {
	if (!browser) throw new Error('the browser did not start (see beforeAll)');
	const page = await browser.newPage();
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
			browserLog.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
	});
	page.on('request', (request) => {
		const url = request.url();
		if (!/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:|about:)/.test(url)) externalRequests.add(url);
	});
	return page;
}

async function signIn(page: Page) {
	await page.goto(`${server().url}/signin`, { waitUntil: 'domcontentloaded' });
	const email = await page.waitForSelector('input[name="emailOrLdapLoginId"]', { visible: true });
	await email!.type(LOCAL_OWNER.email);
	await page.type('input[name="password"]', LOCAL_OWNER.password);
	await shot(page, '00-signin');
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForFunction(() => !location.pathname.startsWith('/signin'), {
		timeout: UI_TIMEOUT,
	});
}

async function openWorkflow(workflowId: string): Promise<Page> {
	const page = await newPage();
	await page.goto(server().editorUrl(workflowId), { waitUntil: 'domcontentloaded' });
	if (new URL(page.url()).pathname.startsWith('/signin'))
		throw new Error('the editor asked to sign in again');
	await page.waitForSelector('[data-test-id="canvas-node"]', { visible: true, timeout: 30_000 });
	return page;
}

const canvasNode = (name: string) => `[data-test-id="canvas-node"][data-node-name="${name}"]`;

async function openNode(page: Page, name: string) {
	const node = await page.waitForSelector(canvasNode(name), { visible: true });
	await node!.click({ count: 2 });
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', {
		visible: true,
	});
	await settle(page);
}

/** Closes n8n's toasts ("Workflow executed successfully"), so they do not cover screenshots. */
async function closeToasts(page: Page) {
	await page.evaluate(() => {
		for (const button of document.querySelectorAll<HTMLElement>(
			'.el-notification .el-notification__closeBtn',
		))
			button.click();
	});
	await page
		.waitForSelector('.el-notification', { hidden: true, timeout: 5_000 })
		.catch(() => undefined);
}

async function closeNode(page: Page) {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"]', { hidden: true });
	await settle(page);
}

/** The parameters shown in the node panel: name (label[for]) → label text, in display order. */
async function visibleParameters(page: Page): Promise<Record<string, string>> {
	const list = await page.evaluate(() => {
		const root = document.querySelector('[data-test-id="node-parameters"]');
		if (!root) return [];
		return [...root.querySelectorAll('[data-test-id="parameter-item"] label[for]')]
			.filter((label) => label.getBoundingClientRect().height > 0)
			.map((label) => [
				label.getAttribute('for') ?? '',
				(label.querySelector('span')?.textContent ?? label.textContent ?? '').trim(),
			]);
	});
	return Object.fromEntries(list);
}

const parameterInput = (name: string) =>
	`[data-test-id="node-parameters"] [data-test-id="parameter-input-${name}"] :is(input, textarea)`;

async function parameterValue(page: Page, name: string): Promise<string> {
	const input = await page.waitForSelector(parameterInput(name), { visible: true });
	return await input!.evaluate((element) => (element as HTMLInputElement).value);
}

/** Opens an options parameter's dropdown; resolves the option headlines once they are shown. */
async function openOptions(
	page: Page,
	name: string,
): Promise<{ listId: string; options: string[] }> {
	const input = await page.waitForSelector(parameterInput(name), { visible: true });
	await input!.click();
	const listId = (await input!.evaluate((element) => element.getAttribute('aria-controls'))) ?? '';
	if (listId === '') throw new Error(`parameter "${name}" has no dropdown (no aria-controls)`);
	await page.waitForFunction(
		(id) =>
			[...document.querySelectorAll(`[id="${id}"] [data-test-id="parameter-input-item"]`)].some(
				(item) => item.getBoundingClientRect().height > 0,
			),
		{ timeout: UI_TIMEOUT },
		listId,
	);
	await settle(page);
	const options = await page.evaluate(
		(id) =>
			[
				...document.querySelectorAll(
					`[id="${id}"] [data-test-id="parameter-input-item"] .option-headline`,
				),
			].map((headline) => (headline.textContent ?? '').trim()),
		listId,
	);
	return { listId, options };
}

/** Clicks an option of an open dropdown and waits until the parameter shows it. */
async function pickOption(page: Page, name: string, listId: string, option: string) {
	const item = await page.waitForFunction(
		(id, wanted) =>
			[...document.querySelectorAll(`[id="${id}"] [data-test-id="parameter-input-item"]`)].find(
				(element) =>
					element.querySelector('.option-headline')?.textContent?.trim() === wanted &&
					element.getBoundingClientRect().height > 0,
			) ?? null,
		{ timeout: UI_TIMEOUT },
		listId,
		option,
	);
	await (item as ElementHandle<Element>).click();
	await page.waitForFunction(
		(selector, wanted) =>
			(document.querySelector(selector) as HTMLInputElement | null)?.value === wanted,
		{ timeout: UI_TIMEOUT },
		parameterInput(name),
		option,
	);
	await settle(page);
}

async function choose(page: Page, name: string, option: string, screenshot?: string) {
	const { listId, options } = await openOptions(page, name);
	if (screenshot) await shot(page, screenshot);
	await pickOption(page, name, listId, option);
	return options;
}

async function typeInto(page: Page, name: string, text: string) {
	const input = await page.waitForSelector(parameterInput(name), { visible: true });
	await input!.click({ count: 3 }); // select whatever is there
	await page.keyboard.press('Backspace');
	await input!.type(text);
	await page.keyboard.press('Tab');
	await page.waitForFunction(
		(selector, wanted) =>
			(document.querySelector(selector) as HTMLInputElement | null)?.value === wanted,
		{ timeout: UI_TIMEOUT },
		parameterInput(name),
		text,
	);
}

/** GET /rest/<path> as the signed-in owner: the answer's `data`. */
async function restGet<T>(urlPath: string): Promise<T> {
	return (await server().restGet(urlPath, authCookie)) as T;
}

/** Waits until n8n has stored the node with parameters that match (the editor saves on its own). */
async function waitForStoredParameters(workflowId: string, nodeName: string, expected: Json) {
	const deadline = Date.now() + UI_TIMEOUT;
	let stored: Json | undefined;
	for (;;) {
		const workflow = await restGet<{ nodes: Array<{ name: string; parameters: Json }> }>(
			`/rest/workflows/${workflowId}`,
		);
		stored = workflow.nodes.find((node) => node.name === nodeName)?.parameters;
		const matches = Object.entries(expected).every(([name, value]) => stored?.[name] === value);
		if (matches || Date.now() > deadline) break;
		await sleep(250);
	}
	expect(stored).toMatchObject(expected);
	return stored as Json;
}

const lastSeq = () =>
	sim && sim.requests.length > 0 ? sim.requests[sim.requests.length - 1].seq : 0;

// ---------------------------------------------------------------------------
// suite
// ---------------------------------------------------------------------------

beforeAll(async () => {
	const started = Date.now();
	const seconds = () => Math.round((Date.now() - started) / 1000);
	cleanArtifacts('browser');
	ensureN8n({ version: VERSION, log });
	ensureBuilt({ log });

	// Resources keep the status they were created with (PENDING_APPROVAL in the output panel).
	sim = await startSimulator({ port: 0, activationDelayMs: null });
	const [port, brokerPort] = await findFreePorts(2);
	// A fresh user folder each run: no owner, executions or editor state from an earlier run.
	n8n = createInstance({
		version: VERSION,
		name: 'browser',
		temporary: true,
		port,
		brokerPort,
		log,
	});
	await n8n.importCredentials([credentialFor(sim.url)]); // UpvestSimCred001, also used by the example
	await n8n.importWorkflow([accountGroupWorkflow(), exampleJson]);
	log(`credential and workflows imported after ${seconds()} s`);
	await n8n.start();
	({ cookie: authCookie } = await n8n.setupOwner(LOCAL_OWNER));
	log(`n8n ${n8n.url} (pid ${n8n.pid}), simulator ${sim.url}, ready after ${seconds()} s`);

	chromium = await launchBrowser(VIEWPORT);
	browser = chromium.browser;
	log(`chromium ${await browser.version()} (pid ${chromium.pid})`);

	const page = await newPage();
	await signIn(page);
	await page.close();
	log(`signed in; setup took ${seconds()} s`);
}, INSTALL_TIMEOUT);

afterAll(async () => {
	if (browserLog.length > 0 || externalRequests.size > 0) {
		writeArtifact(
			'browser/browser-console.log',
			[
				...browserLog,
				...[...externalRequests].map((url) => `request outside 127.0.0.1: ${url}`),
			].join('\n') + '\n',
		);
	}
	await chromium?.close();
	if (n8n) writeArtifact('browser/n8n.log', n8n.logs());
	await n8n?.remove({ keep: e2eEnv.keepInstances });
	await sim?.close();
}, 60_000);

describe(`n8n ${VERSION} on Node ${n8nInstall(VERSION).nodeVersion}: the editor`, () => {
	test(
		'Account Group → Create: Owner Type switches between the user fields and Business ID',
		async () => {
			const page = await openWorkflow(ACCOUNT_GROUP_WORKFLOW_ID);
			await withFailureShot(page, 'account-group', async () => {
				await shot(page, '01-canvas');
				await openNode(page, ACCOUNT_GROUP_NODE);

				// As imported: a user's account group.
				expect(await parameterValue(page, 'ownerType')).toBe('User');
				let shown = await visibleParameters(page);
				expect(shown).toMatchObject({
					ownerType: 'Owner Type',
					userId: 'User ID',
					accountGroupType: 'Account Group Type',
				});
				expect(shown).not.toHaveProperty('businessId');
				expect(await page.$('[data-test-id="parameter-input-businessId"]')).toBeNull();
				expect(await parameterValue(page, 'userId')).toBe(USER_ID);
				expect(await parameterValue(page, 'accountGroupType')).toBe('Personal');
				await shot(page, '02-account-group-user');

				const accountGroupTypes = await choose(
					page,
					'accountGroupType',
					'Personal',
					'03-account-group-type-options',
				);
				expect(accountGroupTypes).toEqual(ACCOUNT_GROUP_TYPES);

				// Owner Type → Business, through the dropdown.
				const ownerTypes = await choose(page, 'ownerType', 'Business', '04-owner-type-options');
				expect(ownerTypes).toEqual(['User', 'Business']);
				await page.waitForSelector('[data-test-id="parameter-input-businessId"]', {
					visible: true,
				});
				await page.waitForSelector('[data-test-id="parameter-input-userId"]', { hidden: true });
				shown = await visibleParameters(page);
				expect(shown).toMatchObject({ ownerType: 'Owner Type', businessId: 'Business ID' });
				expect(shown).not.toHaveProperty('userId');
				expect(shown).not.toHaveProperty('accountGroupType');
				expect(await page.$('[data-test-id="parameter-input-accountGroupType"]')).toBeNull();
				await shot(page, '05-account-group-business');

				// And back to User.
				await choose(page, 'ownerType', 'User');
				await page.waitForSelector('[data-test-id="parameter-input-userId"]', { visible: true });
				await page.waitForSelector('[data-test-id="parameter-input-businessId"]', { hidden: true });
				shown = await visibleParameters(page);
				expect(shown).toMatchObject({ userId: 'User ID', accountGroupType: 'Account Group Type' });
				expect(shown).not.toHaveProperty('businessId');
				// n8n drops the values of parameters it hides, so the User ID may come back empty; enter it again.
				const userIdAfterSwitch = await parameterValue(page, 'userId');
				if (userIdAfterSwitch !== USER_ID) {
					log(
						`User ID after switching Owner Type back to User: "${userIdAfterSwitch}" (re-entering it)`,
					);
					await typeInto(page, 'userId', USER_ID);
				}
				expect(await parameterValue(page, 'accountGroupType')).toBe('Personal');
				await shot(page, '06-account-group-user-again');
				await closeNode(page);

				// What the editor stored is what the run test starts from.
				const stored = await waitForStoredParameters(
					ACCOUNT_GROUP_WORKFLOW_ID,
					ACCOUNT_GROUP_NODE,
					{
						userId: USER_ID,
					},
				);
				expect(stored.ownerType ?? 'user').toBe('user');
				expect(stored).not.toHaveProperty('businessId');
			});
			await page.close();
		},
		TEST_TIMEOUT,
	);

	test(
		'Role → Create: Entity Type switches the ID label and the role types',
		async () => {
			const page = await openWorkflow(example.id);
			await withFailureShot(page, 'role', async () => {
				await shot(page, '07-example-canvas');
				await openNode(page, ROLE_NODE);

				expect(await parameterValue(page, 'entityType')).toBe('Account Group');
				let shown = await visibleParameters(page);
				expect(shown).toMatchObject({
					entityType: 'Entity Type',
					userId: 'User ID',
					entityId: 'Account Group ID',
					custodyType: 'Custody Type',
				});
				// Guardian is the only role on an account group: a notice, not a choice.
				expect(shown).not.toHaveProperty('roleType');
				expect(await guardianNoticeShown(page)).toBe(true);
				await shot(page, '08-role-account-group');

				// Entity Type → Business.
				const entityTypes = await choose(page, 'entityType', 'Business');
				expect(entityTypes).toEqual(['Account Group', 'Business']);
				await page.waitForFunction(
					() =>
						document
							.querySelector('[data-test-id="node-parameters"] label[for="entityId"]')
							?.textContent?.includes('Business ID'),
					{ timeout: UI_TIMEOUT },
				);
				shown = await visibleParameters(page);
				expect(shown).toMatchObject({
					entityType: 'Entity Type',
					userId: 'User ID',
					entityId: 'Business ID',
					roleType: 'Role Type',
				});
				expect(shown).not.toHaveProperty('custodyType'); // guardians only
				expect(Object.values(shown)).not.toContain('Account Group ID');
				expect(await guardianNoticeShown(page)).toBe(false);
				expect(await parameterValue(page, 'roleType')).toBe('Legal Representative');
				const businessRoles = await choose(page, 'roleType', 'Trader', '10-role-types-business');
				expect(businessRoles).toEqual(BUSINESS_ROLE_TYPES);
				expect(await parameterValue(page, 'roleType')).toBe('Trader');
				await shot(page, '11-role-business');

				// And back to Account Group.
				await choose(page, 'entityType', 'Account Group');
				await page.waitForFunction(
					() =>
						document
							.querySelector('[data-test-id="node-parameters"] label[for="entityId"]')
							?.textContent?.includes('Account Group ID'),
					{ timeout: UI_TIMEOUT },
				);
				shown = await visibleParameters(page);
				expect(shown).toMatchObject({ entityId: 'Account Group ID' });
				expect(Object.values(shown)).not.toContain('Business ID');
				expect(shown).toHaveProperty('additionalFields', 'Additional Fields'); // (n8n dropped the hidden Custody Type)
				// Checked by the next test: no business Role Type may be left behind.
				roleTypeAfterSwitchingBack = {
					roleTypeShown: 'roleType' in shown,
					guardianNoticeShown: await guardianNoticeShown(page),
				};
				await shot(page, '12-role-account-group-again');
				await closeNode(page);
			});
			await page.close();
		},
		TEST_TIMEOUT,
	);

	test('Role → Create: switching Entity Type back to Account Group does not keep a business Role Type', () => {
		// The business Role Type (TRADER) is hidden again, so n8n drops it; the account-group role is
		// always GUARDIAN, shown as a notice.
		expect(roleTypeAfterSwitchingBack).toEqual({ roleTypeShown: false, guardianNoticeShown: true });
	});

	test(
		'a run started from the editor creates the account group: signed request, output in the node panel',
		async () => {
			const page = await openWorkflow(ACCOUNT_GROUP_WORKFLOW_ID);
			await withFailureShot(page, 'run', async () => {
				// Starts from the stored workflow: a user's PERSONAL account group for USER_ID.
				await openNode(page, ACCOUNT_GROUP_NODE);
				expect(await parameterValue(page, 'ownerType')).toBe('User');
				expect(await parameterValue(page, 'userId')).toBe(USER_ID);
				expect(await parameterValue(page, 'accountGroupType')).toBe('Personal');
				await closeNode(page);

				const since = lastSeq();
				const groupsBefore = sim!.state.accountGroups.length;
				const started = Date.now();
				await page.click('[data-test-id="execute-workflow-button"]');
				const status = await page.waitForSelector(
					`${canvasNode(ACCOUNT_GROUP_NODE)} :is([data-test-id="canvas-node-status-success"], [data-test-id="canvas-node-status-error"])`,
					{ visible: true, timeout: RUN_TIMEOUT },
				);
				const outcome = await status!.evaluate((element) => element.getAttribute('data-test-id'));
				log(`run from the editor finished in ${Date.now() - started} ms: ${outcome}`);
				await shot(page, '14-run-canvas');
				expect(outcome).toBe('canvas-node-status-success');

				// The simulator saw a signed, valid request with exactly the node's parameters.
				const records: SimulatorRecord[] = sim!.requests.filter((record) => record.seq > since);
				writeArtifact('browser/run.simulator.json', records);
				const created = records.filter(
					(record) => record.path === '/account_groups' && !record.tokenRequest,
				);
				expect(created).toHaveLength(1);
				expect(created[0]).toMatchObject({
					method: 'POST',
					status: 200,
					signature: { valid: true },
				});
				expect(created[0].body).toBe(JSON.stringify({ user_id: USER_ID, type: 'PERSONAL' }));
				expect(created[0].headers.authorization).toMatch(/^Bearer \S+$/);
				expect(created[0].idempotencyKey).toMatch(
					/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
				);
				for (const record of records) {
					expect({
						path: record.path,
						status: record.status,
						signature: record.signature,
					}).toMatchObject({
						status: 200,
						signature: { valid: true },
					});
				}
				expect(sim!.state.accountGroups).toHaveLength(groupsBefore + 1);
				const group = sim!.state.accountGroups[sim!.state.accountGroups.length - 1];
				expect(group).toMatchObject({
					user_id: USER_ID,
					type: 'PERSONAL',
					status: 'PENDING_APPROVAL',
				});

				// The node panel shows the created account group.
				await openNode(page, ACCOUNT_GROUP_NODE);
				await page.waitForSelector(
					'[data-test-id="output-panel"] [data-test-id="ndv-data-container"]',
					{ visible: true },
				);
				await page.click('[data-test-id="output-panel"] [data-test-id="radio-button-json"]');
				await page.waitForFunction(
					(id) => {
						const text =
							document.querySelector(
								'[data-test-id="output-panel"] [data-test-id="ndv-data-container"]',
							)?.textContent ?? '';
						return text.includes('PENDING_APPROVAL') && text.includes(id);
					},
					{ timeout: UI_TIMEOUT },
					String(group.id),
				);
				const outputText = await page.$eval(
					'[data-test-id="output-panel"]',
					(element) => (element as HTMLElement).innerText,
				);
				expect(outputText).toContain('1 item');
				expect(outputText).toContain(String(group.securities_account_number));
				await closeToasts(page);
				const screenshot = await shot(page, '15-run-output');
				publishToDocs(screenshot, 'editor-upvest-node.png', {
					replace: e2eEnv.updateDocsScreenshot,
				});

				// n8n recorded it as a manual (editor) execution that succeeded.
				const executions = await restGet<{ results: Json[] }>(
					`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: ACCOUNT_GROUP_WORKFLOW_ID }))}`,
				);
				expect(executions.results[0]).toMatchObject({
					workflowId: ACCOUNT_GROUP_WORKFLOW_ID,
					mode: 'manual',
					status: 'success',
				});
			});
			await page.close();
		},
		TEST_TIMEOUT,
	);
});
