'use strict';

/**
 * Workflows around the Upvest Trigger that the trigger's end-to-end tests and the bench import:
 * a workflow that starts on Upvest events, and one that creates account groups with the Upvest
 * node (run with `n8n execute`), so the simulator emits the events the first one receives.
 */

const { PACKAGE_NAME } = require('./n8n/project');
const { chain, itemsWorkflow, upvestNode, workflow, workflowNode: node } = require('./workflows');

const TRIGGER_TYPE = `${PACKAGE_NAME}.upvestTrigger`;
const TRIGGER_NAME = 'Upvest Trigger';

/** n8n's production webhook URL of a trigger node that has a `webhookId`. */
function productionWebhookUrl(n8nUrl, webhookId) {
	return `${n8nUrl.replace(/\/+$/, '')}/webhook/${webhookId}/webhook`;
}

/**
 * Upvest Trigger → No Operation. `webhookId` fixes the node's webhook path, as the editor does
 * when it adds a trigger node.
 * @param {{ id: string, name: string, webhookId: string, credential: {id: string, name: string},
 *           categories: string[], eventTypes?: string[] }} spec
 */
function triggerWorkflow({ id, name, webhookId, credential, categories, eventTypes = [] }) {
	const trigger = node(
		TRIGGER_NAME,
		TRIGGER_TYPE,
		1,
		[0, 0],
		{ categories, eventTypes, options: {} },
		{ webhookId, credentials: { upvestApi: credential } },
	);
	const received = node('Received', 'n8n-nodes-base.noOp', 1, [220, 0], {});
	return workflow(id, name, [trigger, received], chain(TRIGGER_NAME, received.name));
}

/**
 * Start → one item per group → Upvest Account Group → Create (`{userId, type}` from each item).
 * @param {Array<{userId: string, type: string}>} groups
 */
function createGroupsWorkflow(id, name, groups, credential) {
	const create = upvestNode(
		'Create account groups',
		[660, 0],
		{
			resource: 'accountGroup',
			operation: 'create',
			ownerType: 'user',
			userId: '={{ $json.userId }}',
			accountGroupType: '={{ $json.type }}',
		},
		credential,
	);
	return itemsWorkflow(id, name, groups, create);
}

module.exports = {
	TRIGGER_TYPE,
	TRIGGER_NAME,
	productionWebhookUrl,
	triggerWorkflow,
	createGroupsWorkflow,
};
