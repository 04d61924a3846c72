import fc from 'fast-check';

import { parseSignatureHeaders } from '../../../nodes/Upvest/trigger/signatureHeaders';
import { parseDictionary } from '../../../nodes/Upvest/trigger/structuredFields';
import vector from './webhook-vector.json';

describe('structured field dictionaries (RFC 8941 subset)', () => {
	test('keeps each member raw, verbatim, for the signature base', () => {
		const text =
			'sig1=("@method" "digest");keyid="k 1";created=1;nonce="a\\"b";expires=2,  sig2=("@path");created=3';
		const parsed = parseDictionary(text);
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.value.get('sig1')?.raw).toBe(
			'("@method" "digest");keyid="k 1";created=1;nonce="a\\"b";expires=2',
		);
		expect(parsed.value.get('sig1')?.params.get('nonce')).toBe('a"b');
		expect(parsed.value.get('sig2')?.raw).toBe('("@path");created=3');
	});

	test('reads the item kinds Upvest could send', () => {
		const parsed = parseDictionary('a=:AQID:, b=?1, c=tok/en, d=-5, e');
		if (!parsed.ok) throw new Error(parsed.error);
		const value = (key: string) => parsed.value.get(key)?.value;
		expect(value('a')).toEqual(Buffer.from([1, 2, 3]));
		expect(value('b')).toBe(true);
		expect(value('c')).toEqual({ token: 'tok/en' });
		expect(value('d')).toBe(-5);
		expect(value('e')).toBe(true);
	});

	test.each([
		['an upper-case key', 'Sig1=("@method")'],
		['a trailing comma', 'sig1=("@method"),'],
		['an unterminated string', 'sig1=("@method)'],
		['a bad escape', 'sig1=("a\\n")'],
		['a decimal', 'sig1=("a");created=1.5'],
		['an integer of 16 digits', 'sig1=("a");created=1234567890123456'],
		['a repeated parameter', 'sig1=("a");created=1;created=2'],
		['a non-ASCII character', 'sig1=("ä")'],
		['items not separated by a space', 'sig1=("a""b")'],
	])('refuses %s', (_name, text) => {
		expect(parseDictionary(text)).toMatchObject({ ok: false });
	});

	test('never throws, whatever the header holds (fuzzed)', () => {
		const fragments = fc.constantFrom(
			'sig1',
			'=',
			'(',
			')',
			'"',
			'@method',
			';',
			'keyid=',
			'created=',
			'17',
			':',
			'AQ==',
			',',
			' ',
			'\\',
			'?1',
			'-',
		);
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.array(fragments, { maxLength: 30 }).map((parts) => parts.join('')),
				),
				fc.string(),
				(input, signature) => {
					const result = parseSignatureHeaders(input, signature);
					expect(typeof result.ok).toBe('boolean');
					if (!result.ok) expect(['signature-input', 'signature']).toContain(result.check);
				},
			),
			{ numRuns: 2000 },
		);
	});

	test('the vector parses to its five components and parameters', () => {
		const parsed = parseSignatureHeaders(
			vector.headers['signature-input'],
			vector.headers.signature,
		);
		expect(parsed).toMatchObject({
			ok: true,
			value: {
				input: {
					label: 'sig1',
					components: ['content-length', 'content-type', '@method', '@path', 'digest'],
					keyId: vector.jwks.keys[0].kid,
					created: 1700000000,
					expires: 1700000060,
					nonce: '4817203956',
					params: vector.headers['signature-input'].slice('sig1='.length),
				},
			},
		});
		if (parsed.ok) expect(parsed.value.signature).toHaveLength(138);
	});
});
