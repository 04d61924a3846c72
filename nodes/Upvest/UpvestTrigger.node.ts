import {
	NodeConnectionTypes,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { UPVEST_CREDENTIAL_TYPE } from './transport/credentials';
import { triggerProperties } from './trigger/description';
import { eventTypeOptions } from './trigger/events';
import { receiveDelivery } from './trigger/receive';
import { checkExists, create, remove } from './trigger/registration';

export class UpvestTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upvest Trigger',
		name: 'upvestTrigger',
		icon: { light: 'file:../../icons/upvest.svg', dark: 'file:../../icons/upvest.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["categories"] || []).join(", ") }}',
		description: 'Starts the workflow when Upvest sends a signed webhook event',
		defaults: { name: 'Upvest Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: UPVEST_CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answered once verified; the workflow runs after the answer.
				responseMode: 'onReceived',
				// Empty: the answer is the node's own summary, not the first event echoed back.
				responseData: '',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	methods = {
		loadOptions: {
			async getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const categories = this.getCurrentNodeParameter('categories');
				return eventTypeOptions(Array.isArray(categories) ? (categories as string[]) : []);
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
