// Drives Debian's Chromium (headless, through playwright-core) over each
// report page given, at each width, and prints one line per check:
// "PASS what" or "FAIL what", with the details on the lines after a FAIL.
// Run by tests/e2e/html_axe.sh:
//   node html_axe.js MODULES_DIR CHROMIUM WIDTHS PAGE...
// MODULES_DIR holds axe-core and playwright-core (scripts/install-deps puts
// them there); WIDTHS is "375,1280,1920".  Exits 0 when every check ran
// (whether it passed or not), 2 when the browser could not be driven.
'use strict';
const path = require('path');

const [modules, chromiumPath, widthList, ...pages] = process.argv.slice(2);
const { chromium } = require(path.join(modules, 'playwright-core'));
const axe = require(path.join(modules, 'axe-core'));

// WCAG 2.2 A and AA, and axe's best practices.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

function report(ok, what, details) {
	console.log((ok ? 'PASS ' : 'FAIL ') + what);
	if (!ok)
		for (const d of details)
			console.log('    ' + d);
}

function violationLines(violations) {
	const lines = [];
	for (const v of violations) {
		lines.push(`${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]`);
		for (const n of v.nodes.slice(0, 5))
			lines.push(`  at ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`);
		if (v.nodes.length > 5)
			lines.push(`  and ${v.nodes.length - 5} more`);
	}
	return lines;
}

// In the page: what makes it scroll sideways, and whether each table sits
// in a box of its own that scrolls it (WCAG 1.4.10, reflow).
function layout() {
	const vw = window.innerWidth;
	const problems = [];
	const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
	if (document.documentElement.scrollWidth > vw)
		problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${vw} px window`);
	const outside = new Set();
	for (const el of document.body.querySelectorAll('*')) {
		if (el.parentElement.closest('.table-scroll'))
			continue; // clipped by its box, which scrolls it
		const r = el.getBoundingClientRect();
		if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) {
			outside.add(el);
			// The outermost such element says where the fault is.
			if (!outside.has(el.parentElement))
				problems.push(`${name(el)} reaches ${Math.round(r.left)} to ${Math.round(r.right)} px`);
		}
	}
	for (const t of document.querySelectorAll('table')) {
		const box = t.parentElement;
		if (!box.classList.contains('table-scroll')) {
			problems.push(`${name(t)} is not in a scrolling box`);
			continue;
		}
		const style = getComputedStyle(box);
		if (style.overflowX !== 'auto' && style.overflowX !== 'scroll')
			problems.push(`${name(t)}: its box does not scroll (overflow-x ${style.overflowX})`);
		if (box.getAttribute('role') !== 'region' || box.getAttribute('tabindex') !== '0')
			problems.push(`${name(t)}: its box is not a region in the tab order`);
		const label = document.getElementById(box.getAttribute('aria-labelledby') || '');
		if (!label || !label.textContent.trim())
			problems.push(`${name(t)}: its box has no name`);
		if (!t.tBodies.length || !t.tBodies[0].rows.length)
			problems.push(`${name(t)} has no rows`);
		if (t.getBoundingClientRect().width > box.clientWidth + 0.5) {
			box.scrollLeft = 40;
			if (box.scrollLeft === 0)
				problems.push(`${name(t)} is wider than its box, which does not scroll it`);
			box.scrollLeft = 0;
		}
	}
	return problems;
}

async function checkPage(browser, page, width) {
	const where = `${page} at ${width} px`;
	// bypassCSP: the report forbids every script, axe's included.
	const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
	try {
		const tab = await context.newPage();
		await tab.goto('file://' + page);
		await tab.evaluate(axe.source);
		const result = await tab.evaluate(tags => window.axe.run(document, {
			runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
		}), TAGS);
		report(result.violations.length === 0, `axe: ${where}`, violationLines(result.violations));
		const problems = await tab.evaluate(layout);
		report(problems.length === 0, `reflow: ${where}`, problems.slice(0, 20));
	} finally {
		await context.close();
	}
}

(async () => {
	const browser = await chromium.launch({
		executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'],
	});
	try {
		for (const page of pages)
			for (const width of widthList.split(',').map(Number))
				await checkPage(browser, path.resolve(page), width);
	} finally {
		await browser.close();
	}
})().catch(e => {
	console.error('html_axe.js: ' + (e && e.stack || e));
	process.exit(2);
});
