/**
 * The two consents Upvest records for customers on its licence (users and businesses): the terms
 * and conditions and the data privacy and sharing agreement, each the ID of the document Upvest
 * gave you and the time the customer confirmed it.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemFields } from './fields';

const CONSENTS = [
	{
		key: 'terms_and_conditions',
		name: 'termsAndConditions',
		label: 'Terms and Conditions',
		example: 'd0b83880-3809-4eee-b0df-ca50db84c15a',
	},
	{
		key: 'data_privacy_and_sharing_agreement',
		name: 'dataPrivacyAgreement',
		label: 'Data Privacy and Sharing Agreement',
		example: '7ab0fc5c-8157-4acd-b02d-6ccda0e81dec',
	},
] as const;

/** Two fields per consent: the document ID and when it was confirmed. */
export function consentParameters(overrides: Partial<INodeProperties> = {}): INodeProperties[] {
	return CONSENTS.flatMap((consent) => [
		{
			displayName: `${consent.label}: Document ID`,
			name: `${consent.name}DocumentId`,
			type: 'string' as const,
			default: '',
			placeholder: `e.g. ${consent.example}`,
			description: `The consent document ID Upvest gave you for the ${consent.label.toLowerCase()}`,
			...overrides,
		},
		{
			displayName: `${consent.label}: Confirmed At`,
			name: `${consent.name}ConfirmedAt`,
			type: 'dateTime' as const,
			default: '',
			description: 'When the customer accepted it',
			...overrides,
		},
	]);
}

/** The consents as Upvest's body fields; `prefix` is where the parameters live (e.g. `additionalFields.`). */
export function readConsents(fields: ItemFields, prefix: string, required: boolean): IDataObject {
	const body: IDataObject = {};
	for (const consent of CONSENTS) {
		const id = fields.uuid(
			`${consent.label}: Document ID`,
			fields.param(`${prefix}${consent.name}DocumentId`),
			required,
		);
		const confirmedAt = fields.dateTime(
			`${consent.label}: Confirmed At`,
			fields.param(`${prefix}${consent.name}ConfirmedAt`),
			{},
			required || id !== undefined,
		);
		if (id !== undefined && confirmedAt !== undefined) {
			body[consent.key] = { consent_document_id: id, confirmed_at: confirmedAt };
		} else if (confirmedAt !== undefined) {
			fields.fail(
				`${consent.label}: Document ID`,
				'is empty',
				'Enter the consent document ID, or clear the confirmation time.',
			);
		}
	}
	return body;
}
