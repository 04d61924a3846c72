// Copies the node and credential icons next to the compiled code (tsc only emits .js and .json).
const { src, dest } = require('gulp');

function buildIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
