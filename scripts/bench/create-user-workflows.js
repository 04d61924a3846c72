'use strict';

/**
 * The Create User workflows of the bench: N customers with every field of a Your Own Licence
 * (BYOL) user filled, entering through Set (raw JSON) + Split Out after a pause, then either the
 * Upvest node (User → Create, every field an expression on the item, default options) or n8n's
 * HTTP Request node sending the same request (Predefined Credential Type → Upvest API, the JSON
 * body as a {{ }} template of the item's fields, the idempotency key from an input field); and
 * the body Upvest must receive for each customer.
 */

const {
	chain,
	itemsSource,
	manualTrigger,
	pauseNode,
	upvestNode,
	workflow,
	workflowNode,
} = require('../workflows');
const { uuidFor } = require('./stats');

/** The node under test, in both workflows. */
const NODE_NAME = 'Create User';
/** Like the paging runs: the node starts once n8n's own start-up (task runner, compiling) is over. */
const SETTLE_SECONDS = 6;

/** Customer `i`: every field of a BYOL user filled, as a source system would hand it over. */
function customer(i) {
	const address = (street) => ({
		line1: `${street} ${i + 1}`,
		line2: `Apartment ${(i % 40) + 1}`,
		postcode: String(10115 + (i % 800)),
		city: 'Berlin',
		state: 'BE',
		country: 'DE',
	});
	return {
		onboardingId: uuidFor('create-user onboarding', i),
		firstName: `Erika ${i}`,
		lastName: `Mustermann ${i}`,
		birthDate: `${1950 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
		nationalities: i % 3 === 0 ? ['DE', 'AT'] : ['DE'],
		address: address('Musterstrasse'),
		birthCity: 'Hamburg',
		birthCountry: 'DE',
		birthName: `Gabler ${i}`,
		branchId: uuidFor('create-user branch', i % 4),
		email: `erika.${i}@example.com`,
		gender: 'FEMALE',
		phoneNumber: `4930${String(i).padStart(7, '0')}`,
		postalAddress: address('Postweg'),
		salutation: 'SALUTATION_FEMALE',
		socialSecurityNumber: '25300972S014',
		tags: ['CLIENT_EMPLOYEE'],
		title: 'DR',
	};
}

/** The body Upvest gets for `person`, in the order the Upvest node writes it. */
function expectedBody(person) {
	const address = (a) => ({
		address_line1: a.line1,
		address_line2: a.line2,
		postcode: a.postcode,
		city: a.city,
		state: a.state,
		country: a.country,
	});
	return {
		first_name: person.firstName,
		last_name: person.lastName,
		birth_date: person.birthDate,
		nationalities: person.nationalities,
		address: address(person.address),
		salutation: person.salutation,
		title: person.title,
		birth_name: person.birthName,
		gender: person.gender,
		phone_number: person.phoneNumber,
		social_security_number: person.socialSecurityNumber,
		postal_address: address(person.postalAddress),
		branch_id: person.branchId,
		tags: person.tags,
		email: person.email,
		birth_city: person.birthCity,
		birth_country: person.birthCountry,
	};
}

/** Upvest node parameters: User → Create, BYOL, every field an expression on the item. */
function upvestParameters() {
	const address = (from) => ({
		details: {
			addressLine1: `={{ $json.${from}.line1 }}`,
			addressLine2: `={{ $json.${from}.line2 }}`,
			postcode: `={{ $json.${from}.postcode }}`,
			city: `={{ $json.${from}.city }}`,
			state: `={{ $json.${from}.state }}`,
			country: `={{ $json.${from}.country }}`,
		},
	});
	const fromItem = (names) => Object.fromEntries(names.map((n) => [n, `={{ $json.${n} }}`]));
	return {
		resource: 'user',
		operation: 'create',
		licenceModel: 'byol',
		...fromItem(['firstName', 'lastName', 'birthDate', 'nationalities']),
		address: address('address'),
		additionalFields: {
			...fromItem(['birthCity', 'birthCountry', 'birthName', 'branchId', 'email', 'gender']),
			...fromItem(['phoneNumber', 'salutation', 'socialSecurityNumber', 'tags', 'title']),
			postalAddress: address('postalAddress'),
		},
		options: {},
	};
}

/**
 * The HTTP Request node's JSON body as a user writes it in the editor: the JSON with the item's
 * fields dragged in as {{ }} expressions, the lists through JSON.stringify.
 */
function jsonBodyTemplate() {
	const text = (field) => `"{{ $json.${field} }}"`;
	const list = (field) => `{{ JSON.stringify($json.${field}) }}`;
	const address = (from) =>
		`{ "address_line1": ${text(`${from}.line1`)}, "address_line2": ${text(`${from}.line2`)}, ` +
		`"postcode": ${text(`${from}.postcode`)}, "city": ${text(`${from}.city`)}, ` +
		`"state": ${text(`${from}.state`)}, "country": ${text(`${from}.country`)} }`;
	const fields = [
		['first_name', text('firstName')],
		['last_name', text('lastName')],
		['birth_date', text('birthDate')],
		['nationalities', list('nationalities')],
		['address', address('address')],
		['salutation', text('salutation')],
		['title', text('title')],
		['birth_name', text('birthName')],
		['gender', text('gender')],
		['phone_number', text('phoneNumber')],
		['social_security_number', text('socialSecurityNumber')],
		['postal_address', address('postalAddress')],
		['branch_id', text('branchId')],
		['tags', list('tags')],
		['email', text('email')],
		['birth_city', text('birthCity')],
		['birth_country', text('birthCountry')],
	];
	return `={\n${fields.map(([name, value]) => `  "${name}": ${value}`).join(',\n')}\n}`;
}

/** HTTP Request node (the version n8n adds today) with the Upvest credential signing. */
function httpNode(baseUrl, credential) {
	return workflowNode(
		NODE_NAME,
		'n8n-nodes-base.httpRequest',
		4.4,
		[880, 0],
		{
			method: 'POST',
			url: `${baseUrl}/users`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'upvestApi',
			sendHeaders: true,
			specifyHeaders: 'keypair',
			headerParameters: {
				parameters: [{ name: 'idempotency-key', value: '={{ $json.onboardingId }}' }],
			},
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: jsonBodyTemplate(),
			options: {},
		},
		{ credentials: { upvestApi: { id: credential.id, name: credential.name } } },
	);
}

/** Start → Pause → Set (raw JSON with the customers) → Split Out → the node under test. */
function createUserWorkflow(id, side, people, credential, baseUrl) {
	const last =
		side === 'upvest'
			? upvestNode(NODE_NAME, [880, 0], upvestParameters(), {
					id: credential.id,
					name: credential.name,
				})
			: httpNode(baseUrl, credential);
	const source = itemsSource('Input', people).map((node) => ({
		...node,
		position: [node.position[0] + 220, node.position[1]],
	}));
	return workflow(
		id,
		`Bench ${id} Create User, ${side === 'upvest' ? 'Upvest' : 'HTTP Request'} node`,
		[manualTrigger(), pauseNode('Pause', [220, 0], SETTLE_SECONDS), ...source, last],
		chain('Start', 'Pause', 'Input data', 'Input items', NODE_NAME),
	);
}

module.exports = { NODE_NAME, customer, expectedBody, createUserWorkflow };
