/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * What the browser tests do on a page of n8n's editor (2.8.4): open and close a node's panel, read
 * and set its parameters (options, switches, collections), run the workflow and read the output
 * panel (resource locators: ./editor-locator). Each step waits for the editor's reaction, never for a fixed time.
 *
 * Selectors are n8n 2.8.4's own data-test-id attributes (checked in the running editor):
 *   canvas:    [data-test-id="canvas-node"][data-node-name="<name>"], its [data-test-id="canvas-default-node"]
 *              (label and subtitle), [data-test-id="execute-workflow-button"],
 *              [data-test-id="canvas-node-status-success"] / [data-test-id="canvas-node-status-error"]
 *   node view: [data-test-id="ndv"], [data-test-id="ndv-close-button"], [data-test-id="node-parameters"],
 *              [data-test-id="parameter-item"] label[for="<parameter name>"] (its visible label text),
 *              [data-test-id="parameter-input-<name>"] input (options: a readonly combobox whose
 *              aria-controls names the listbox of [data-test-id="parameter-input-item"] .option-headline),
 *              [data-test-id="collection-parameter-add"] input → [data-test-id="collection-parameter-option"]
 *   output:    [data-test-id="output-panel"] [data-test-id="radio-button-json"], [data-test-id="ndv-data-container"]
 */
import type { ElementHandle, Page } from 'puppeteer-core';

/** One UI reaction (a panel opens, a field appears, a list loads) on a machine others share. */
export const UI_TIMEOUT = 30_000;
/** A workflow run started from the editor. */
export const RUN_TIMEOUT = 120_000;

export const PARAMETERS = '[data-test-id="node-parameters"]';
export const canvasNode = (name: string) =>
	`[data-test-id="canvas-node"][data-node-name="${name}"]`;
const parameterInput = (name: string) =>
	`${PARAMETERS} [data-test-id="parameter-input-${name}"] :is(input, textarea)`;

/** Waits until no finite CSS animation or transition is running (popper fade-ins, panel slides). */
export async function settle(page: Page) {
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

/**
 * How many pixels of the node panel's parameters are hidden below its scrolling area (0 when
 * they all show).
 */
export async function parametersOverflow(page: Page): Promise<number> {
	return await page.$eval(PARAMETERS, (parameters) => {
		for (let element: Element | null = parameters; element; element = element.parentElement) {
			const overflowY = getComputedStyle(element).overflowY;
			if (
				(overflowY === 'auto' || overflowY === 'scroll') &&
				element.scrollHeight > element.clientHeight
			)
				return Math.ceil(element.scrollHeight - element.clientHeight);
		}
		return 0;
	});
}

/** Where the open node's parameter panel is: the column with its tabs and its parameters. */
export async function parametersPanelBox(page: Page) {
	return await page.$eval(PARAMETERS, (parameters) => {
		let panel: Element = parameters;
		while (panel.parentElement && !panel.querySelector('[data-test-id="tab-params"]'))
			panel = panel.parentElement;
		const { x, y, width, height } = panel.getBoundingClientRect();
		return { x, y, width, height };
	});
}

/** Waits until the element's `value` is `wanted`. */
export async function waitForValue(page: Page, selector: string, wanted: string) {
	await page.waitForFunction(
		(css, value) => (document.querySelector(css) as HTMLInputElement | null)?.value === value,
		{ timeout: UI_TIMEOUT },
		selector,
		wanted,
	);
}

/** Waits until the element stopped moving (the canvas zooms to fit after loading). */
async function waitUntilStill(page: Page, selector: string) {
	await page.waitForFunction(
		(css) => {
			const rect = document.querySelector(css)?.getBoundingClientRect();
			if (!rect) return false;
			const key = [rect.x, rect.y, rect.width, rect.height].join();
			const seen = window as unknown as { lastRect?: { key: string; count: number } };
			seen.lastRect =
				seen.lastRect?.key === key ? { key, count: seen.lastRect.count + 1 } : { key, count: 0 };
			return seen.lastRect.count >= 3;
		},
		{ timeout: UI_TIMEOUT, polling: 100 },
		selector,
	);
}

/**
 * Opens a node's panel with a double click on the canvas, again if a double click arrived before
 * the canvas handled it (right after the workflow loaded).
 */
export async function openNode(page: Page, name: string) {
	const panel = `[data-test-id="ndv"] ${PARAMETERS}`;
	const deadline = Date.now() + UI_TIMEOUT;
	for (;;) {
		await waitUntilStill(page, canvasNode(name));
		await page.click(canvasNode(name), { count: 2 });
		const opened = await page
			.waitForSelector(panel, { visible: true, timeout: 10_000 })
			.then(() => true)
			.catch(() => false);
		if (opened) break;
		if (Date.now() > deadline) throw new Error(`the panel of node "${name}" did not open`);
	}
	await settle(page);
}

export async function closeNode(page: Page) {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"]', { hidden: true });
	await settle(page);
}

/** Closes n8n's toasts ("Workflow executed successfully"), so they do not cover screenshots. */
export async function closeToasts(page: Page) {
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

/** The subtitle under a node's name on the canvas, once it reads `expected` (as last seen otherwise). */
export async function nodeSubtitle(page: Page, name: string, expected: string): Promise<string> {
	const subtitle = `${canvasNode(name)} [data-test-id="canvas-default-node"] [class*="subtitle"]`;
	await page
		.waitForFunction(
			(css, text) => document.querySelector(css)?.textContent?.trim() === text,
			{ timeout: UI_TIMEOUT },
			subtitle,
			expected,
		)
		.catch(() => undefined);
	return await page.$eval(subtitle, (element) => element.textContent?.trim() ?? '');
}

/** The parameters shown in the node panel: name (label[for]) → label text, in display order. */
export async function visibleParameters(page: Page): Promise<Record<string, string>> {
	const list = await page.evaluate((root) => {
		const panel = document.querySelector(root);
		if (!panel) return [];
		return [...panel.querySelectorAll('[data-test-id="parameter-item"] label[for]')]
			.filter((label) => label.getBoundingClientRect().height > 0)
			.map((label) => [
				label.getAttribute('for') ?? '',
				(label.querySelector('span')?.textContent ?? label.textContent ?? '').trim(),
			]);
	}, PARAMETERS);
	return Object.fromEntries(list);
}

/** Expects the panel to show these parameters (name → label) and none of `hidden`; resolves all shown. */
export async function expectFields(
	page: Page,
	shown: Record<string, string>,
	hidden: string[] = [],
) {
	const fields = await visibleParameters(page);
	expect(fields).toMatchObject(shown);
	for (const name of hidden) expect(fields).not.toHaveProperty(name);
	return fields;
}

/** Waits until the parameter is shown (`true`) or gone (`false`). */
export async function waitForParameter(page: Page, name: string, shown: boolean) {
	await page.waitForSelector(`${PARAMETERS} [data-test-id="parameter-input-${name}"]`, {
		visible: shown,
		hidden: !shown,
		timeout: UI_TIMEOUT,
	});
}

export async function parameterValue(page: Page, name: string): Promise<string> {
	const input = await page.waitForSelector(parameterInput(name), { visible: true });
	return await input!.evaluate((element) => (element as HTMLInputElement).value);
}

/** Opens a combobox (an options parameter, a mode selector); resolves its listbox id. */
export async function openCombobox(
	page: Page,
	input: ElementHandle<Element>,
	itemSelector: string,
) {
	await input.click();
	const listId = (await input.evaluate((element) => element.getAttribute('aria-controls'))) ?? '';
	if (listId === '') throw new Error('the field opens no dropdown (no aria-controls)');
	const items = `[id="${listId}"] ${itemSelector}`;
	await page.waitForFunction(
		(css) =>
			[...document.querySelectorAll(css)].some((item) => item.getBoundingClientRect().height > 0),
		{ timeout: UI_TIMEOUT },
		items,
	);
	await settle(page);
	return items;
}

/** The texts of the shown elements a selector matches. */
export const textsOf = (page: Page, selector: string) =>
	page.$$eval(selector, (elements) =>
		elements
			.filter((element) => element.getBoundingClientRect().height > 0)
			.map((element) => (element.textContent ?? '').trim()),
	);

/**
 * Waits until the shown elements `selector` matches have exactly the texts `expected`, in order;
 * resolves their texts then (or as last seen at the deadline, for the test to compare).
 */
export async function waitForTexts(page: Page, selector: string, expected: string[]) {
	await page
		.waitForFunction(
			(css, wanted) =>
				[...document.querySelectorAll(css)]
					.filter((element) => element.getBoundingClientRect().height > 0)
					.map((element) => (element.textContent ?? '').trim())
					.join('\n') === wanted,
			{ timeout: UI_TIMEOUT, polling: 100 },
			selector,
			expected.join('\n'),
		)
		.catch(() => undefined);
	await settle(page);
	return await textsOf(page, selector);
}

/** Clicks the visible item whose text (of `textSelector` inside it, if given) is `wanted`. */
export async function clickItem(page: Page, items: string, wanted: string, textSelector = '') {
	const item = await page.waitForFunction(
		(css, text, inner) =>
			[...document.querySelectorAll(css)].find(
				(element) =>
					(inner ? element.querySelector(inner) : element)?.textContent?.trim() === text &&
					element.getBoundingClientRect().height > 0,
			) ?? null,
		{ timeout: UI_TIMEOUT },
		items,
		wanted,
		textSelector,
	);
	await (item as ElementHandle<Element>).click();
}

/** Opens an options parameter's dropdown; resolves its option names. */
export async function openOptions(page: Page, name: string) {
	const input = await page.waitForSelector(parameterInput(name), { visible: true });
	const items = await openCombobox(page, input!, '[data-test-id="parameter-input-item"]');
	return { items, options: await textsOf(page, `${items} .option-headline`) };
}

/**
 * Picks `option` of an options parameter (after `whileOpen`, e.g. a screenshot, with the dropdown
 * open) and waits until the field shows it. Resolves the names the dropdown offered.
 */
export async function choose(
	page: Page,
	name: string,
	option: string,
	whileOpen?: () => Promise<unknown>,
): Promise<string[]> {
	const { items, options } = await openOptions(page, name);
	if (whileOpen) await whileOpen();
	await clickItem(page, items, option, '.option-headline');
	await waitForValue(page, parameterInput(name), option);
	await settle(page);
	return options;
}

export async function typeInto(page: Page, name: string, text: string) {
	const input = await page.waitForSelector(parameterInput(name), { visible: true });
	await input!.click({ count: 3 }); // select whatever is there
	await page.keyboard.press('Backspace');
	await input!.type(text);
	await page.keyboard.press('Tab');
	await waitForValue(page, parameterInput(name), text);
}

/** Sets a boolean parameter (a switch) and waits until it shows the new state. */
export async function setSwitch(page: Page, name: string, on: boolean) {
	const selector = `${PARAMETERS} [data-test-id="parameter-input-${name}"] input[role="switch"]`;
	const state = async () =>
		await page.$eval(selector, (element) => element.getAttribute('aria-checked') === 'true');
	if ((await state()) === on) return;
	await page.click(`${PARAMETERS} [data-test-id="parameter-input-${name}"] .el-switch`);
	await page.waitForFunction(
		(css, wanted) => document.querySelector(css)?.getAttribute('aria-checked') === wanted,
		{ timeout: UI_TIMEOUT },
		selector,
		String(on),
	);
}

/** What a collection's "Add ..." dropdown offers; closes the dropdown again. */
export async function collectionChoices(page: Page, collection: string): Promise<string[]> {
	const handle = await page.waitForFunction(
		(root, name) =>
			[...document.querySelectorAll(`${root} [data-test-id="parameter-item"]`)]
				.find((item) => item.querySelector(`label[for="${name}"]`))
				?.querySelector('[data-test-id="collection-parameter-add"] input') ?? null,
		{ timeout: UI_TIMEOUT },
		PARAMETERS,
		collection,
	);
	const input = handle as ElementHandle<Element>;
	const items = await openCombobox(page, input, '[data-test-id="collection-parameter-option"]');
	const choices = await textsOf(page, items);
	await input.click();
	await page.waitForFunction(
		(css) =>
			[...document.querySelectorAll(css)].every(
				(item) => item.getBoundingClientRect().height === 0,
			),
		{ timeout: UI_TIMEOUT },
		items,
	);
	return choices;
}

// ---------------------------------------------------------------------------
// runs
// ---------------------------------------------------------------------------

/** Clicks "Execute workflow"; resolves the node's status test id once it shows success or error. */
export async function runFromEditor(page: Page, nodeName: string): Promise<string | null> {
	await page.click('[data-test-id="execute-workflow-button"]');
	const status = await page.waitForSelector(
		`${canvasNode(nodeName)} :is([data-test-id="canvas-node-status-success"], [data-test-id="canvas-node-status-error"])`,
		{ visible: true, timeout: RUN_TIMEOUT },
	);
	return await status!.evaluate((element) => element.getAttribute('data-test-id'));
}

/** In an open node panel: the output as JSON, once it contains every text of `mustShow`. */
export async function outputPanel(page: Page, mustShow: string[]): Promise<string> {
	const output = '[data-test-id="output-panel"]';
	await page.waitForSelector(`${output} [data-test-id="ndv-data-container"]`, { visible: true });
	await page.click(`${output} [data-test-id="radio-button-json"]`);
	await page.waitForFunction(
		(css, texts) => {
			const text = document.querySelector(css)?.textContent ?? '';
			return texts.every((wanted) => text.includes(wanted));
		},
		{ timeout: UI_TIMEOUT },
		`${output} [data-test-id="ndv-data-container"]`,
		mustShow,
	);
	await settle(page);
	return await page.$eval(output, (element) => (element as HTMLElement).innerText);
}
