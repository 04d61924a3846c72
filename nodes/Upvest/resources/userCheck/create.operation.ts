import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall } from '../../node.type';
import { addressParameter, readAddress } from '../../shared/address';
import { countryOptions } from '../../shared/countries';
import { ItemFields } from '../../shared/fields';
import { readId, show } from '../../shared/operations';
import { optionsCollection } from '../../shared/options';
import { userIdField } from '../user/userId';
import { CHECKS_READ, findCheck } from './checks';

export const CHECK_TYPES = ['KYC', 'POR', 'INSTRUMENT_FIT'] as const;
const KYC_DOCUMENTS = [
	'PASSPORT',
	'ID_CARD',
	'RESIDENCE_PERMIT',
	'DRIVING_LICENSE',
	'TWO_PLUS_TWO_VERIFICATION_PROOF',
] as const;
/** KYC documents whose expiry date and issuing country Upvest requires. */
const KYC_DOCUMENTS_WITH_EXPIRY = ['PASSPORT', 'ID_CARD', 'RESIDENCE_PERMIT', 'DRIVING_LICENSE'];
const KYC_METHODS = [
	'VIDEO_ID',
	'IN_PERSON_ID',
	'ELECTRONIC_ID',
	'LIVENESS_PHOTO_ID',
	'QUALIFIED_ELECTRONIC_SIGNATURE_WITH_TX',
	'TWO_PLUS_TWO_VERIFICATION',
	'ID_COLLECTION',
] as const;
const POR_DOCUMENTS = [
	'UTILITY_BILL',
	'TELEPHONE_BILL',
	'INTERNET_BILL',
	'BANK_STATEMENT',
	'REGISTRATION_CERT',
	'RESIDENCE_PERMIT',
	'ID_CARD',
] as const;
/** Upvest refuses checks confirmed longer ago than this. */
const MAX_CHECK_AGE_MONTHS = 24;

const user = userIdField('The user whose check this is');
const showKyc = { checkType: ['KYC'] };
const showPor = { checkType: ['POR'] };
const named = (values: readonly string[], names: string[]) =>
	values.map((value, index) => ({ name: names[index], value }));

const properties: INodeProperties[] = [
	user.property,
	{
		displayName: 'Check Type',
		name: 'checkType',
		type: 'options',
		options: [
			{
				name: 'Identity (KYC)',
				value: 'KYC',
				description: 'The identification of the user, e.g. by video or eID',
			},
			{
				name: 'Instrument Fit',
				value: 'INSTRUMENT_FIT',
				description: 'Whether the products suit the user (appropriateness)',
			},
			{
				name: 'Proof of Residency (POR)',
				value: 'POR',
				description: 'A document showing the address, where the KYC document does not',
			},
		],
		default: 'KYC',
		description: 'The regulatory check you performed and now submit',
	},
	{
		displayName: 'Check Confirmed At',
		name: 'checkConfirmedAt',
		type: 'dateTime',
		required: true,
		default: '',
		description: `When the check was completed; Upvest accepts checks up to ${MAX_CHECK_AGE_MONTHS} months old. A re-run with the same time submits nothing new.`,
	},
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. IDnow',
		description: 'Who performed the identification',
		displayOptions: { show: showKyc },
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: named(KYC_METHODS, [
			'Video Identification',
			'In-Person Identification',
			'Electronic ID (eID)',
			'Liveness and Photo ID',
			'Qualified Electronic Signature With Transaction',
			'2+2 Verification (UK)',
			'ID Collection (Not Verified)',
		]),
		default: 'VIDEO_ID',
		displayOptions: { show: showKyc },
	},
	{
		displayName: 'Document Type',
		name: 'kycDocumentType',
		type: 'options',
		options: named(KYC_DOCUMENTS, [
			'Passport',
			'ID Card',
			'Residence Permit',
			'Driving Licence',
			'2+2 Verification Proof (UK)',
		]),
		default: 'PASSPORT',
		displayOptions: { show: showKyc },
	},
	{
		displayName: 'Document Expiration Date',
		name: 'documentExpirationDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2031-05-17',
		description: 'Required for a passport, ID card, residence permit or driving licence',
		displayOptions: { show: showKyc },
	},
	{
		displayName: 'Document Issuing Country',
		name: 'documentCountry',
		type: 'options',
		options: countryOptions,
		default: 'DE',
		description: 'The country that issued the document',
		displayOptions: { show: showKyc },
	},
	{
		displayName: 'Document Type',
		name: 'porDocumentType',
		type: 'options',
		options: named(POR_DOCUMENTS, [
			'Utility Bill',
			'Telephone Bill (Landline)',
			'Internet Bill',
			'Bank Statement',
			'Registration Certificate',
			'Residence Permit',
			'ID Card',
		]),
		default: 'UTILITY_BILL',
		displayOptions: { show: showPor },
	},
	{
		displayName: 'Issuance Date',
		name: 'issuanceDate',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-10-01',
		description: 'When the document was issued',
		displayOptions: { show: showPor },
	},
	{
		displayName: 'Data Download Link',
		name: 'dataDownloadLink',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://files.example.com/kyc/4711.zip',
		description: 'Where Upvest downloads the evidence (at most 250 MB)',
		displayOptions: { show: { checkType: ['KYC', 'POR'] } },
	},
	addressParameter('confirmedAddress', 'Confirmed Address', {
		required: true,
		description: 'The address the document confirms',
		displayOptions: { show: showPor },
	}),
	{
		displayName: 'Suitable',
		name: 'suitability',
		type: 'boolean',
		default: true,
		description: 'Whether the instruments suit the user',
		displayOptions: { show: { checkType: ['INSTRUMENT_FIT'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showKyc },
		options: [
			addressParameter('confirmedAddress', 'Confirmed Address', {
				description: 'The address the identification confirmed',
			}),
			{
				displayName: 'KYC Update',
				name: 'kycUpdate',
				type: 'boolean',
				default: true,
				description: 'Whether this renews an earlier identification instead of a first one',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(show('userCheck', 'create'), properties);

function kycFields(fields: ItemFields): IDataObject {
	const documentType = fields.option(
		'Document Type',
		fields.param('kycDocumentType'),
		KYC_DOCUMENTS,
	);
	const needsExpiry = KYC_DOCUMENTS_WITH_EXPIRY.includes(documentType);
	const body: IDataObject = {
		provider: fields.text('Provider', fields.param('provider'), { max: 100 }, true),
		method: fields.option('Method', fields.param('method'), KYC_METHODS),
		document_type: documentType,
		data_download_link: fields.url('Data Download Link', fields.param('dataDownloadLink'), true),
	};
	const expiry = fields.date(
		'Document Expiration Date',
		fields.param('documentExpirationDate'),
		{},
		needsExpiry,
	);
	if (expiry !== undefined) body.document_expiration_date = expiry;
	const country = fields.country(
		'Document Issuing Country',
		fields.param('documentCountry'),
		needsExpiry,
	);
	if (country !== undefined) body.nationality = country;
	const extra = fields.group('additionalFields');
	const address = readAddress(fields, 'Confirmed Address', extra.confirmedAddress, false);
	if (address !== undefined) body.confirmed_address = address;
	if (extra.kycUpdate !== undefined)
		body.kyc_update = fields.boolean('KYC Update', extra.kycUpdate);
	return body;
}

function porFields(fields: ItemFields): IDataObject {
	return {
		document_type: fields.option('Document Type', fields.param('porDocumentType'), POR_DOCUMENTS),
		issuance_date: fields.date(
			'Issuance Date',
			fields.param('issuanceDate'),
			{ notFuture: true },
			true,
		),
		data_download_link: fields.url('Data Download Link', fields.param('dataDownloadLink'), true),
		confirmed_address: readAddress(
			fields,
			'Confirmed Address',
			fields.param('confirmedAddress', {}),
			true,
		),
	};
}

export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const userId = readId(this, itemIndex, user);
	const fields = new ItemFields(this, itemIndex);
	const type = fields.option('Check Type', fields.param('checkType'), CHECK_TYPES);
	const confirmedAt = fields.dateTime(
		'Check Confirmed At',
		fields.param('checkConfirmedAt'),
		{ maxAgeMonths: MAX_CHECK_AGE_MONTHS },
		true,
	);
	const body: IDataObject = { type, check_confirmed_at: confirmedAt };
	if (type === 'KYC') Object.assign(body, kycFields(fields));
	else if (type === 'POR') Object.assign(body, porFields(fields));
	else {
		body.instrument_suitability = {
			suitability: fields.boolean('Suitable', fields.param('suitability', true), true),
		};
	}
	const path = `/users/${userId}/checks`;
	return {
		request: { method: 'POST', path, body },
		scopes: ['checks:admin'],
		creates: true,
		existing: {
			request: { method: 'GET', path, query: { list_history: true, type } },
			scopes: CHECKS_READ,
			find: (answer) => findCheck(answer, type, confirmedAt),
		},
		// Upvest answers only the new check's ID; the item shows the check as submitted.
		output: (answer, found) =>
			found
				? { ...answer, alreadyExisted: true }
				: { id: answer.id, user_id: userId, ...body, alreadyExisted: false },
	};
}
