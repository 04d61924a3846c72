'use strict';

/**
 * n8n's Form Trigger (typeVersion 2.2), used as a browser uses it: the production form lives at
 * `/form/<path>` (the trigger's Options → Path, else its webhook ID). Opening it renders a page
 * whose inputs are named `field-0`, `field-1`, … in the order of the trigger's Form Elements; the
 * page's script puts the form's elements into a FormData (name → value; only the fields have a
 * name) and POSTs it as `multipart/form-data` to the same URL, which is what n8n's form handler
 * requires (it reads `field-<index>` back by position, and names the output item's keys by the
 * field labels up to typeVersion 2.3). Dates are sent as `YYYY-MM-DD`, a dropdown as the text of
 * the chosen option.
 *
 *   const form = await openForm(formUrl(n8n.url, workflow));
 *   const { status, text } = await submitForm(form, { 'First name': 'Erika', ... });
 *
 * As in a browser, a required field left empty or a dropdown value the form does not offer stops
 * the submission before anything is sent.
 */

const FORM_TRIGGER_TYPE = 'n8n-nodes-base.formTrigger';
const DEFAULT_TIMEOUT_MS = 120_000;

/** The production form URL of a workflow that starts with a Form Trigger, or undefined. */
function formUrl(n8nUrl, workflow) {
	const trigger = (workflow.nodes ?? []).find((node) => node.type === FORM_TRIGGER_TYPE);
	if (!trigger) return undefined;
	const path = trigger.parameters?.options?.path || trigger.parameters?.path || trigger.webhookId;
	return `${String(n8nUrl).replace(/\/+$/, '')}/form/${path}`;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'", '#x3D': '=' };
const decode = (text) =>
	text.replace(/&(amp|lt|gt|quot|#x27|#39|#x3D);/g, (_, name) => ENTITIES[name]).trim();

/**
 * The fields of a rendered form page, in the order the page submits them:
 * `[{ id, label, required, kind: 'input' | 'select' | 'textarea', type?, options? }]`.
 */
function parseFormPage(html) {
	const labels = new Map();
	for (const [, classes, id, label] of html.matchAll(
		/<label class='form-label([^']*)' for='(field-\d+)'>([\s\S]*?)<\/label>/g,
	)) {
		labels.set(id, { label: decode(label), required: classes.includes('form-required') });
	}
	const fields = [];
	for (const match of html.matchAll(/<(input|select|textarea)\b[^>]*?name=['"](field-\d+)['"]/g)) {
		const [tag, kind, id] = match;
		const field = { id, kind, label: labels.get(id)?.label ?? id };
		field.required = labels.get(id)?.required ?? false;
		if (kind === 'input') field.type = /type=['"]([^'"]+)['"]/.exec(tag)?.[1];
		if (kind === 'select') {
			const end = html.indexOf('</select>', match.index);
			const body = html.slice(match.index, end);
			field.options = [...body.matchAll(/<option value='([^']*)'/g)]
				.map(([, value]) => decode(value))
				.filter((value) => value !== '');
		}
		fields.push(field);
	}
	return fields;
}

/** GET the form page as a browser opens it; resolves `{ url, status, fields }`. */
async function openForm(url, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
	const response = await fetch(url, {
		headers: { accept: 'text/html' },
		signal: AbortSignal.timeout(timeoutMs),
	});
	const html = await response.text();
	if (response.status !== 200) {
		throw new Error(`GET ${url} answered ${response.status}: ${html.slice(0, 500)}`);
	}
	return { url, status: response.status, fields: parseFormPage(html) };
}

/**
 * Fills the opened form by label and submits it as the page's script does. Resolves
 * `{ status, text, ms }`: with "Respond When: Workflow Finishes" the answer comes once the
 * workflow has finished (200) or failed.
 */
async function submitForm(form, values, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
	const byLabel = new Map(form.fields.map((field) => [field.label, field]));
	for (const label of Object.keys(values)) {
		if (!byLabel.has(label)) {
			throw new Error(
				`the form has no field "${label}" (it has: ${[...byLabel.keys()].join(', ')})`,
			);
		}
	}
	const body = new FormData();
	for (const field of form.fields) {
		const value = values[field.label] === undefined ? '' : String(values[field.label]);
		if (field.required && value === '') {
			throw new Error(`the form does not submit without "${field.label}"`);
		}
		if (field.options && value !== '' && !field.options.includes(value)) {
			throw new Error(`"${field.label}" offers ${field.options.join(', ')}, not "${value}"`);
		}
		body.append(field.id, value);
	}
	const started = Date.now();
	const response = await fetch(form.url, {
		method: 'POST',
		body,
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	return { status: response.status, text, ms: Date.now() - started };
}

module.exports = { FORM_TRIGGER_TYPE, formUrl, parseFormPage, openForm, submitForm };
