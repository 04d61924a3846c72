'use strict';

/** The owner account of a running n8n, through its REST API: first setup, login, the auth cookie. */

const { httpJson } = require('../http-client');
const { LOCAL_OWNER } = require('./credentials');

function cookieFrom(headers) {
	return (headers['set-cookie'] || [])
		.map((c) => c.split(';')[0])
		.filter((c) => c.startsWith('n8n-auth='))
		.join('; ');
}

/** True while the owner account is still to be created (GET /rest/settings). */
async function needsOwnerSetup(url) {
	const res = await httpJson(`${url}/rest/settings`);
	if (res.status !== 200) throw new Error(`GET /rest/settings answered ${res.status}: ${res.text}`);
	return Boolean(res.json?.data?.userManagement?.showSetupOnFirstLoad);
}

/** Logs in; resolves the "n8n-auth=..." cookie. */
async function login(url, { email, password } = LOCAL_OWNER) {
	const res = await httpJson(`${url}/rest/login`, {
		method: 'POST',
		body: { emailOrLdapLoginId: email, password },
	});
	if (res.status !== 200) throw new Error(`login as ${email} answered ${res.status}: ${res.text}`);
	return cookieFrom(res.headers);
}

/** Creates the owner when there is none yet, else logs in. Resolves { created, cookie }. */
async function setupOwner(url, owner = LOCAL_OWNER) {
	if (!(await needsOwnerSetup(url))) return { created: false, cookie: await login(url, owner) };
	const { email, password, firstName, lastName } = owner;
	const res = await httpJson(`${url}/rest/owner/setup`, {
		method: 'POST',
		body: { email, password, firstName, lastName },
	});
	if (res.status !== 200) throw new Error(`owner setup answered ${res.status}: ${res.text}`);
	return { created: true, cookie: cookieFrom(res.headers) };
}

/** GET <url><path> with the auth cookie; resolves the response's `data`. */
async function restGet(url, urlPath, cookie) {
	const res = await httpJson(`${url}${urlPath}`, { headers: { cookie } });
	if (res.status !== 200) throw new Error(`GET ${urlPath} answered ${res.status}: ${res.text}`);
	return res.json?.data;
}

module.exports = { needsOwnerSetup, login, setupOwner, restGet };
