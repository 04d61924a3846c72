'use strict';

/** signature-input and structured-field parsing: errors are reported as results, not thrown. */

const { parseSignatureInput, parseDictionary } = require('../../simulator/verify');

describe('parseSignatureInput errors are reported, not thrown', () => {
	test.each([
		[undefined, 'signature-input header is missing'],
		[
			'sig2=("@method");keyid="k";created=1;expires=2;nonce="n"',
			'signature-input has no "sig1" label',
		],
		['sig1="@method";keyid="k"', 'signature-input "sig1" is not an inner list'],
		[
			'sig1=(method);keyid="k";created=1;expires=2;nonce="n"',
			'signature-input components must be quoted strings',
		],
		[
			'sig1=("@method" "@method");keyid="k";created=1;expires=2;nonce="n"',
			'component "@method" is listed twice',
		],
		[
			'sig1=("@method");created=1;expires=2;nonce="n"',
			'signature-input is missing the "keyid" parameter',
		],
		[
			'sig1=("@method");keyid="k";created="1";expires=2;nonce="n"',
			'signature-input parameter "created" must be an integer',
		],
		[
			'sig1=("@method");keyid="k";created=1;expires=2;nonce="n";alg=ed25519',
			'signature-input parameter "alg" must be a string',
		],
		['sig1=();keyid="k";created=1;expires=2;nonce="n"', 'signature-input covers no components'],
		[
			'sig1=("@method";req);keyid="k";created=1;expires=2;nonce="n"',
			'component parameters are not supported ("@method")',
		],
	])('%p', (input, error) => {
		expect(parseSignatureInput(input)).toEqual({ ok: false, error });
	});

	test('malformed structured fields name the position', () => {
		const r = parseSignatureInput('sig1=("@method" "@path";keyid="k"');
		expect(r.ok).toBe(false);
		expect(r.error).toMatch(/^signature-input is malformed: .* at position \d+$/);
	});

	test('other labels are allowed next to sig1', () => {
		const r = parseSignatureInput(
			'other=("x");keyid="z", sig1=("@method");keyid="k";created=1;expires=2;nonce="n"',
		);
		expect(r).toMatchObject({
			ok: true,
			components: ['@method'],
			rawParams: '("@method");keyid="k";created=1;expires=2;nonce="n"',
		});
	});

	test('byte sequences must be canonical base64', () => {
		expect(parseDictionary('sig1=:QUI=:').members.get('sig1').value.toString()).toBe('AB');
		expect(parseDictionary('sig1=:QUI:').ok).toBe(false);
		expect(parseDictionary('sig1=:QU-I:').ok).toBe(false);
	});
});
