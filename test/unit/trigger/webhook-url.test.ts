import { readTriggerOptions } from '../../../nodes/Upvest/trigger/description';
import { publicUrlAdvice, publicUrlProblem } from '../../../nodes/Upvest/trigger/webhookUrl';

describe('which webhook URLs Upvest accepts (Sandbox and Live)', () => {
	test.each([
		['https://n8n.example.com/webhook/abc/webhook', undefined],
		['https://automation.fintech.io:8443/hooks/webhook/abc/webhook?x=1', undefined],
		['http://n8n.example.com/webhook/abc/webhook', 'it is not an https URL'],
		['http://localhost:5678/webhook/abc/webhook', 'it is not an https URL'],
		['https://localhost/webhook/abc/webhook', 'its host is not a public DNS name'],
		['https://n8n/webhook/abc/webhook', 'its host is not a public DNS name'],
		['https://203.0.113.7/webhook/abc/webhook', 'its host is an IP address, not a DNS name'],
		['https://[2001:db8::1]/webhook/abc/webhook', 'its host is an IP address, not a DNS name'],
		['not a url', 'it is not a valid URL'],
	])('%s', (url, problem) => {
		expect(publicUrlProblem(url)).toBe(problem);
	});

	test('the advice names the URL, the reason and the fix', () => {
		const advice = publicUrlAdvice('http://localhost:5678/webhook/x', 'it is not an https URL');
		expect(advice).toContain('http://localhost:5678/webhook/x');
		expect(advice).toContain('not an https URL');
		expect(advice).toContain('WEBHOOK_URL');
		expect(advice).toContain('restart n8n');
	});
});

describe('trigger options', () => {
	test('default to verifying, with a 300 s tolerance', () => {
		expect(readTriggerOptions({})).toEqual({
			toleranceSeconds: 300,
			skipSignatureVerification: false,
		});
	});

	test('only an explicit true skips verification; a bad tolerance falls back', () => {
		expect(readTriggerOptions({ skipSignatureVerification: 'true', toleranceSeconds: -5 })).toEqual(
			{
				toleranceSeconds: 300,
				skipSignatureVerification: false,
			},
		);
		expect(readTriggerOptions({ skipSignatureVerification: true, toleranceSeconds: 30 })).toEqual({
			toleranceSeconds: 30,
			skipSignatureVerification: true,
		});
	});
});
