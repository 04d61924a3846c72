// Package entry. n8n loads the node and credential through the "n8n" section of package.json;
// this re-export lets other code require them from the package root.
module.exports = {
	...require('./dist/nodes/Upvest/Upvest.node.js'),
	...require('./dist/credentials/UpvestApi.credentials.js'),
};
