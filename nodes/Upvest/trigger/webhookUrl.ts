/**
 * Upvest registers only https URLs whose host is a DNS name, not an IP address
 * (https://docs.upvest.co/products/byol/getting_started/implementing_webhooks/webhooks_registration).
 * n8n builds its webhook URL from the WEBHOOK_URL setting; a default install gives
 * http://localhost:5678/, which Upvest would refuse with a bare 400.
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why Upvest would refuse this URL, or undefined when it looks acceptable. */
export function publicUrlProblem(webhookUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(webhookUrl);
	} catch {
		return 'it is not a valid URL';
	}
	if (url.protocol !== 'https:') return 'it is not an https URL';
	const host = url.hostname.toLowerCase();
	if (IPV4.test(host) || host.startsWith('[')) return 'its host is an IP address, not a DNS name';
	if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
		return 'its host is not a public DNS name';
	}
	return undefined;
}

export function publicUrlAdvice(webhookUrl: string, problem: string): string {
	return (
		`Upvest only delivers webhooks to public https addresses with a DNS name, and n8n's webhook URL ${webhookUrl} is refused because ${problem}. ` +
		"Set n8n's WEBHOOK_URL environment variable to n8n's public https address (e.g. https://n8n.example.com/) and restart n8n, then activate the workflow again."
	);
}
