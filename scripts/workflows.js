'use strict';

/**
 * Builders for the n8n workflows the end-to-end tests and the bench import: plain workflow JSON,
 * as n8n exports it. Items enter through Set (raw JSON) + Split Out, so no Code node is needed.
 */

const { randomUUID } = require('node:crypto');

const { NODE_TYPE } = require('./n8n-runtime');

function workflowNode(name, type, typeVersion, position, parameters, extra = {}) {
	return { id: randomUUID(), name, type, typeVersion, position, parameters, ...extra };
}

const manualTrigger = () => workflowNode('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {});

/** A Wait node named `name` that pauses the execution `seconds` (in the process, for short waits). */
const pauseNode = (name, position, seconds) =>
	workflowNode(name, 'n8n-nodes-base.wait', 1.1, position, {
		resume: 'timeInterval',
		amount: seconds,
		unit: 'seconds',
	});

/** Set (raw JSON) named `<prefix> data` + Split Out named `<prefix> items`, on row `y`. */
function itemsSource(prefix, items, y = 0) {
	return [
		workflowNode(`${prefix} data`, 'n8n-nodes-base.set', 3.4, [220, y], {
			mode: 'raw',
			jsonOutput: JSON.stringify({ items }),
			options: {},
		}),
		workflowNode(`${prefix} items`, 'n8n-nodes-base.splitOut', 1, [440, y], {
			fieldToSplitOut: 'items',
			include: 'noOtherFields',
			options: {},
		}),
	];
}

function upvestNode(name, position, parameters, credential, extra = {}) {
	return workflowNode(name, NODE_TYPE, 1, position, parameters, {
		credentials: { upvestApi: credential },
		...extra,
	});
}

/**
 * Upvest node parameters: one PERSONAL account group per item, for the user in `$json.userId`,
 * with the given Options (none when left out).
 */
function personalGroupsFromItems(options) {
	const parameters = {
		resource: 'accountGroup',
		operation: 'create',
		ownerType: 'user',
		userId: '={{ $json.userId }}',
		accountGroupType: 'PERSONAL',
		additionalFields: {},
	};
	return options === undefined ? parameters : { ...parameters, options };
}

/** Connections that run the named nodes one after another (main output 0 to input 0). */
function chain(...names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] ??= { main: [[]] };
		connections[names[i]].main[0].push({ node: names[i + 1], type: 'main', index: 0 });
	}
	return connections;
}

function mergeConnections(...all) {
	const result = {};
	for (const connections of all) {
		for (const [from, value] of Object.entries(connections)) {
			result[from] ??= { main: [[]] };
			result[from].main[0].push(...value.main[0]);
		}
	}
	return result;
}

function workflow(id, name, nodes, connections) {
	return {
		id,
		name,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Start → Set (raw JSON) → Split Out → `last` (placed at x 660), which gets every item. */
function itemsWorkflow(id, name, items, last) {
	return workflow(
		id,
		name,
		[manualTrigger(), ...itemsSource('Input', items), last],
		chain('Start', 'Input data', 'Input items', last.name),
	);
}

module.exports = {
	personalGroupsFromItems,
	workflowNode,
	manualTrigger,
	pauseNode,
	itemsSource,
	upvestNode,
	chain,
	mergeConnections,
	workflow,
	itemsWorkflow,
};
