import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { categoryOptions } from './events';
import { DELAY_SECONDS, EXCLUDABLE_CATEGORIES, PACKAGE_BYTES } from './subscription';
import { DEFAULT_TOLERANCE_SECONDS } from './verifyDelivery';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Upvest sends events to n8n's webhook URL, which must be a public https address when the credential uses Sandbox or Live. Each delivery's signature is checked against Upvest's published keys; the credential needs the scope <code>webhooks:admin</code>.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'multiOptions',
		required: true,
		options: categoryOptions(),
		default: [],
		description: 'The webhook categories to subscribe to',
	},
	{
		displayName: 'Event Type Names or IDs',
		name: 'eventTypes',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getEventTypes', loadOptionsDependsOn: ['categories'] },
		default: [],
		description:
			'Only these events start the workflow; leave empty for every event of the chosen categories. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Delivery Delay (Seconds)',
				name: 'deliveryDelaySeconds',
				type: 'number',
				typeOptions: { minValue: DELAY_SECONDS.min, maxValue: DELAY_SECONDS.max },
				default: 1,
				description:
					'How long Upvest collects events into one delivery, 1 to 30 seconds: fewer deliveries for busy clients, later events',
			},
			{
				displayName: 'Exclude Category Names or IDs',
				name: 'excludeCategories',
				type: 'multiOptions',
				options: EXCLUDABLE_CATEGORIES.map((category) => ({
					name: category
						.toLowerCase()
						.split('_')
						.map((word) => word.replace(/^./, (first) => first.toUpperCase()))
						.join(' '),
					value: category,
				})),
				default: [],
				description:
					'With the category All only: the categories Upvest leaves out. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Max Delivery Size (Bytes)',
				name: 'maxDeliveryBytes',
				type: 'number',
				typeOptions: { minValue: PACKAGE_BYTES.min, maxValue: PACKAGE_BYTES.max },
				default: 1048576,
				description:
					'The largest delivery Upvest sends, 100 to 1,048,576 bytes; a single larger event still comes alone',
			},
			{
				displayName: 'Signature Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: DEFAULT_TOLERANCE_SECONDS,
				description:
					"How far a delivery's signature times may lie outside now (clock skew and delivery delay) before it is refused",
			},
			{
				displayName: 'Skip Signature Verification (Unsafe)',
				name: 'skipSignatureVerification',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept deliveries without checking their signature. Anyone who knows the URL could then start the workflow with made-up events: for local experiments only.',
			},
		],
	},
];

export interface TriggerOptions {
	toleranceSeconds: number;
	skipSignatureVerification: boolean;
}

export function readTriggerOptions(options: IDataObject): TriggerOptions {
	const tolerance = Number(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
	return {
		toleranceSeconds:
			Number.isFinite(tolerance) && tolerance >= 0 ? tolerance : DEFAULT_TOLERANCE_SECONDS,
		skipSignatureVerification: options.skipSignatureVerification === true,
	};
}
