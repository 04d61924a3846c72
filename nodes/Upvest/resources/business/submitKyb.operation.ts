import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { ItemFields } from '../../shared/fields';
import { readId, show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { CHECKS_READ, findCheck } from '../userCheck/checks';
import { businessIdField } from './businessId';

/** Upvest refuses checks confirmed longer ago than this. */
const MAX_CHECK_AGE_MONTHS = 24;

const business = businessIdField('The business whose KYB check this is');

const properties: INodeProperties[] = [
	business.property,
	{
		displayName: 'Check Confirmed At',
		name: 'checkConfirmedAt',
		type: 'dateTime',
		required: true,
		default: '',
		description: `When you completed the KYB check (up to ${MAX_CHECK_AGE_MONTHS} months ago). A re-run with the same time submits nothing new.`,
	},
	{
		displayName: 'Data Download Link',
		name: 'dataDownloadLink',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://files.example.com/kyb/muster-gmbh.zip',
		description: 'Where Upvest downloads the KYB documents (register extract, shareholder list, …)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Originally Confirmed At',
				name: 'originallyConfirmedAt',
				type: 'dateTime',
				default: '',
				description:
					'When this business’s first KYB check was completed; empty: the same as Check Confirmed At (a first check)',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(show('business', 'submitKyb'), properties);

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const businessId = readId(this, itemIndex, business);
	const fields = new ItemFields(this, itemIndex);
	const confirmedAt = fields.dateTime(
		'Check Confirmed At',
		fields.param('checkConfirmedAt'),
		{ maxAgeMonths: MAX_CHECK_AGE_MONTHS },
		true,
	);
	const original =
		fields.dateTime(
			'Originally Confirmed At',
			fields.group('additionalFields').originallyConfirmedAt,
			{},
		) ?? confirmedAt;
	const body: IDataObject = {
		type: 'KYB',
		originally_confirmed_at: original,
		check_confirmed_at: confirmedAt,
		data_download_link: fields.url('Data Download Link', fields.param('dataDownloadLink'), true),
	};
	const path = `/businesses/${businessId}/checks`;
	return {
		request: { method: 'POST', path, body },
		scopes: ['checks:admin'],
		creates: true,
		existing: {
			request: { method: 'GET', path },
			scopes: CHECKS_READ,
			find: (answer) => findCheck(answer, 'KYB', confirmedAt),
		},
		// Upvest answers only the new check's ID; the item shows the check as submitted.
		output: (answer, found) =>
			found
				? { ...answer, alreadyExisted: true }
				: { id: answer.id, business_id: businessId, ...body, alreadyExisted: false },
	};
}
