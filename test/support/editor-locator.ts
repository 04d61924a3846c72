/// <reference lib="dom" />
/**
 * The resource locator fields of n8n's editor (2.8.4), such as Account Group ID: its mode ("From
 * list", "By ID"), the searchable list, the typed value and the issues n8n shows for it. Selectors
 * (n8n's own data-test-id attributes): [data-test-id="resource-locator-<name>"] with
 * [data-test-id="rlc-mode-selector"] input (its listbox holds [data-test-id="mode-<mode>"]),
 * [data-test-id="rlc-input"], [data-test-id="rlc-search"], [data-test-id="rlc-item"],
 * [data-test-id="parameter-issues"] (hovered: [data-test-id="tooltip-content"] li).
 */
import type { Page } from 'puppeteer-core';

import {
	clickItem,
	openCombobox,
	PARAMETERS,
	settle,
	textsOf,
	waitForTexts,
	UI_TIMEOUT,
	waitForValue,
} from './editor-page';

const locator = (name: string) => `${PARAMETERS} [data-test-id="resource-locator-${name}"]`;

/** The mode a resource locator shows ('' when none is selected) and its value field's text. */
export async function locatorState(page: Page, name: string) {
	await page.waitForSelector(`${locator(name)} [data-test-id="rlc-input"]`, { visible: true });
	return await page.$eval(locator(name), (element) => ({
		mode:
			element.querySelector<HTMLInputElement>('[data-test-id="rlc-mode-selector"] input')?.value ??
			'',
		value: element.querySelector<HTMLInputElement>('[data-test-id="rlc-input"]')?.value ?? '',
	}));
}

/** Picks a mode (its label, e.g. "By ID"); resolves the labels of every mode offered. */
export async function chooseMode(page: Page, name: string, mode: string): Promise<string[]> {
	const modeInput = `${locator(name)} [data-test-id="rlc-mode-selector"] input`;
	const input = await page.waitForSelector(modeInput, { visible: true });
	const items = await openCombobox(page, input!, '[data-test-id^="mode-"]');
	const modes = await textsOf(page, items);
	await clickItem(page, items, mode);
	await waitForValue(page, modeInput, mode);
	await settle(page);
	return modes;
}

const LIST_ITEMS = '[data-test-id="rlc-item"]';

/** Opens a resource locator's "From list" dropdown (its search box shows at once, the items later). */
export async function openList(page: Page, name: string) {
	await page.click(`${locator(name)} [data-test-id="rlc-input"]`);
	await page.waitForSelector('[data-test-id="rlc-search"]', { visible: true });
}

/**
 * Waits until the open dropdown lists exactly `expected` (item names, in order); resolves the
 * items it shows then, or at the deadline, for the test to compare.
 */
export const waitForListItems = (page: Page, expected: string[]) =>
	waitForTexts(page, LIST_ITEMS, expected);

/**
 * Types into the dropdown's search box (replacing what is there). The box has the focus when the
 * list opens; it is not clicked, because in n8n 2.8.4 a click into it closes the list.
 */
export async function searchList(page: Page, text: string) {
	const search = await page.waitForSelector('[data-test-id="rlc-search"]', { visible: true });
	await search!.focus();
	await page.keyboard.down('Control');
	await page.keyboard.press('KeyA');
	await page.keyboard.up('Control');
	await page.keyboard.press('Backspace');
	await page.keyboard.type(text);
	await waitForValue(page, '[data-test-id="rlc-search"]', text);
}

/** Clicks the list item named `item`; waits until the dropdown closed. */
export async function pickListItem(page: Page, item: string) {
	await clickItem(page, LIST_ITEMS, item);
	await page.waitForSelector('[data-test-id="rlc-search"]', { hidden: true });
	await settle(page);
}

/** Types into a resource locator's value field (By ID); waits until it shows the text. */
export async function typeIntoLocator(page: Page, name: string, text: string) {
	const selector = `${locator(name)} [data-test-id="rlc-input"]`;
	const input = await page.waitForSelector(selector, { visible: true });
	await input!.click({ count: 3 });
	await page.keyboard.press('Backspace');
	await input!.type(text);
	await waitForValue(page, selector, text);
}

/**
 * The issues n8n shows for a parameter (the warning icon's tooltip), once they are `expected`
 * (n8n updates them a moment after the value changed); as last seen at the deadline. The tooltip
 * stays open for a screenshot.
 */
export async function parameterIssues(
	page: Page,
	name: string,
	expected: string[],
): Promise<string[]> {
	const icon = `${locator(name)} [data-test-id="parameter-issues"]`;
	const shown = expected.length > 0;
	await page.waitForSelector(icon, { visible: shown, hidden: !shown, timeout: UI_TIMEOUT });
	if (!shown) return [];
	await page.hover(icon);
	return await waitForTexts(page, '[data-test-id="tooltip-content"] li', expected);
}
