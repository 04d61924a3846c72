/**
 * The structured-field dictionary parser (trigger/structuredFields.ts) rule by rule, as RFC 8941
 * states it for the subset signature-input and signature use: what each item kind reads as, what
 * is refused and where, and the raw text each member keeps for the signature base.
 */
import { parseDictionary, type Member } from '../../../nodes/Upvest/trigger/structuredFields';

/** The parsed members, or the test fails with the parser's message. */
function members(text: string): Map<string, Member> {
	const parsed = parseDictionary(text);
	if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
	return parsed.value;
}

const valueOf = (text: string, key = 'a') => members(text).get(key)?.value;

function errorOf(text: string): string {
	const parsed = parseDictionary(text);
	if (parsed.ok) throw new Error(`${text} was accepted`);
	return parsed.error;
}

/** One test per case: `text` is refused with `error`, the rule and the position it names. */
function refuses(cases: Array<[name: string, text: string, error: string]>) {
	test.each(cases)('refuses %s', (_name, text, error) => {
		expect(errorOf(text)).toBe(error);
	});
}

describe('keys', () => {
	test('start with a lower-case letter or "*", then letters, digits, "_", "-", "." or "*"', () => {
		expect([...members('*a=1, a_b-c.d*9=2, z=3').keys()]).toEqual(['*a', 'a_b-c.d*9', 'z']);
	});

	refuses([
		['a digit first', '1a=1', 'expected a lower-case key at character 1'],
		['an upper-case letter first', 'Ab=1', 'expected a lower-case key at character 1'],
		['an upper-case letter inside', 'aB=1', 'expected "," at character 2'],
		['an empty key', '=1', 'expected a lower-case key at character 1'],
	]);
});

describe('strings', () => {
	test('read with \\" and \\\\ escapes', () => {
		expect(valueOf('a="x \\"y\\" \\\\ z"')).toBe('x "y" \\ z');
		expect(valueOf('a=""')).toBe('');
		expect(valueOf('a=" ~"')).toBe(' ~');
	});

	refuses([
		['another escape', 'a="\\n"', 'invalid escape in string at character 5'],
		['a control character', 'a="\t"', 'invalid character in string at character 5'],
		['a character past "~"', 'a="\u007f"', 'invalid character in string at character 5'],
		['a non-ASCII character', 'a="é"', 'invalid character in string at character 5'],
		['no closing quote', 'a="abc', 'unterminated string at character 7'],
		['an escape at the end', 'a="abc\\', 'invalid escape in string at character 8'],
	]);
});

describe('integers', () => {
	test('up to 15 digits, negative too', () => {
		expect(valueOf('a=0')).toBe(0);
		expect(valueOf('a=-7')).toBe(-7);
		expect(valueOf('a=007')).toBe(7);
		expect(valueOf('a=999999999999999')).toBe(999_999_999_999_999);
		expect(valueOf('a=-999999999999999')).toBe(-999_999_999_999_999);
	});

	refuses([
		['16 digits', 'a=1000000000000000', 'integer too long at character 19'],
		['a decimal', 'a=1.5', 'decimals are not supported at character 4'],
		['a lone minus', 'a=-', 'expected a digit at character 4'],
		['a minus before a letter', 'a=-x', 'expected a digit at character 4'],
	]);
});

describe('byte sequences', () => {
	test('base64 between colons, padding optional, empty allowed', () => {
		expect(valueOf('a=:AQID:')).toEqual(Buffer.from([1, 2, 3]));
		expect(valueOf('a=:AQ==:')).toEqual(Buffer.from([1]));
		expect(valueOf('a=:+/+/:')).toEqual(Buffer.from('+/+/', 'base64'));
		expect(valueOf('a=::')).toEqual(Buffer.alloc(0));
	});

	refuses([
		['no closing colon', 'a=:AQID', 'unterminated byte sequence at character 4'],
		['a character outside base64', 'a=:AQ-D:', 'invalid base64 in byte sequence at character 4'],
		['padding inside', 'a=:A=QD:', 'invalid base64 in byte sequence at character 4'],
		['three padding characters', 'a=:A===:', 'invalid base64 in byte sequence at character 4'],
	]);
});

describe('booleans and tokens', () => {
	test('?1 and ?0; a key without a value is true', () => {
		expect(valueOf('a=?1')).toBe(true);
		expect(valueOf('a=?0')).toBe(false);
		expect(valueOf('a')).toBe(true);
		expect(valueOf('b, a;x=1')).toBe(true);
	});

	test('refuses ?2 and a lone ?', () => {
		expect(errorOf('a=?2')).toBe('invalid boolean at character 4');
		expect(errorOf('a=?')).toBe('invalid boolean at character 4');
	});

	test('tokens start with a letter or "*" and run over token characters', () => {
		expect(valueOf("a=*Tok:en/x!#$%&'+.^_`|~9-")).toEqual({ token: "*Tok:en/x!#$%&'+.^_`|~9-" });
		expect(valueOf('a=Z')).toEqual({ token: 'Z' });
	});

	refuses([
		['a token that starts with a digit-like sign', 'a=+x', 'expected an item at character 3'],
		['nothing after "="', 'a=', 'expected an item at character 3'],
		['a token with "("', 'a=to(k', 'expected "," at character 5'],
	]);
});

describe('parameters', () => {
	test('each with a value or true, spaces allowed after ";"', () => {
		const member = members('a=1;x=2; y;z="s"').get('a');
		expect(member?.params).toEqual(
			new Map<string, unknown>([
				['x', 2],
				['y', true],
				['z', 's'],
			]),
		);
	});

	test('on inner-list items too', () => {
		const member = members('a=("x";p=1 "y")').get('a');
		expect(member?.value).toEqual([
			{ value: 'x', params: new Map([['p', 1]]) },
			{ value: 'y', params: new Map() },
		]);
	});

	refuses([
		['a repeated parameter', 'a=1;x=1;x=2', 'parameter "x" repeated at character 12'],
		['an upper-case parameter', 'a=1;X=1', 'expected a lower-case key at character 5'],
		['a space before ";"', 'a=1 ;x=1', 'expected "," at character 5'],
	]);
});

describe('inner lists', () => {
	test('items separated by spaces, padding inside the parentheses allowed', () => {
		expect(valueOf('a=(  "x"   "y" )')).toEqual([
			{ value: 'x', params: new Map() },
			{ value: 'y', params: new Map() },
		]);
		expect(valueOf('a=()')).toEqual([]);
		expect(valueOf('a=(1 tok ?0)')).toEqual([
			{ value: 1, params: new Map() },
			{ value: { token: 'tok' }, params: new Map() },
			{ value: false, params: new Map() },
		]);
	});

	refuses([
		['no closing parenthesis', 'a=("x"', 'expected a space or ")" at character 7'],
		['no closing parenthesis after a space', 'a=("x" ', 'expected an item at character 8'],
		['items without a space between', 'a=("x""y")', 'expected a space or ")" at character 7'],
		['a tab between items', 'a=("x"\t"y")', 'expected a space or ")" at character 7'],
	]);
});

describe('dictionaries', () => {
	test('members separated by commas with optional spaces or tabs; leading spaces skipped', () => {
		expect([...members('  a=1,b=2 ,\tc=3 \t, d=4').keys()]).toEqual(['a', 'b', 'c', 'd']);
	});

	test('an empty field is an empty dictionary', () => {
		expect(members('').size).toBe(0);
		expect(members('   ').size).toBe(0);
	});

	test('each member keeps its text after "=", verbatim, parameters included', () => {
		const parsed = members('a=("x" "y");k="v";n=1, b, c=:AQ==:;p');
		expect(parsed.get('a')?.raw).toBe('("x" "y");k="v";n=1');
		expect(parsed.get('b')?.raw).toBe('');
		expect(parsed.get('c')?.raw).toBe(':AQ==:;p');
	});

	refuses([
		['a repeated member', 'a=1, a=2', 'member "a" repeated at character 9'],
		['a trailing comma', 'a=1,', 'trailing comma at character 5'],
		['a trailing comma and space', 'a=1, ', 'trailing comma at character 6'],
		['a leading tab', '\ta=1', 'expected a lower-case key at character 1'],
		['no comma between members', 'a=1 b=2', 'expected "," at character 5'],
	]);
});
