// Fill painpath's FHIR Questionnaire in the NLM's LHC-Forms renderer, in headless Chromium.
//
//   node lhcforms.mjs --questionnaire Q.json --answers ANSWERS.json
//                     [--response OUT.json] [--screenshot OUT.png]
//
// Answers are typed and clicked into the rendered form the way a person would (choice
// lists by their label, yes/no radio buttons, numbers), in the Questionnaire's order.
// Prints one JSON object: the linkIds of the questions the form shows at the end
// ("shown"), the answers that could not be given because the form hid their question
// ("hidden"), the text of every display item shown ("displays") and the
// QuestionnaireResponse LHC-Forms produced ("response"). Needs Chromium at
// $CHROMIUM (default /usr/bin/chromium); never downloads a browser.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'node_modules', 'lforms', 'dist', 'lforms');
const { values: args } = parseArgs({
  options: {
    questionnaire: { type: 'string' },
    answers: { type: 'string' },
    response: { type: 'string' },
    screenshot: { type: 'string' },
  },
});
if (!args.questionnaire || !args.answers) {
  console.error('usage: node lhcforms.mjs --questionnaire Q.json --answers A.json [--response R.json] [--screenshot S.png]');
  process.exit(2);
}
const questionnaire = JSON.parse(fs.readFileSync(args.questionnaire, 'utf8'));
const answers = JSON.parse(fs.readFileSync(args.answers, 'utf8'));

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/webcomponent/styles.css"></head><body>
<div id="form"></div>
<script src="/webcomponent/assets/lib/zone.min.js"></script>
<script src="/webcomponent/runtime.js" type="module"></script>
<script src="/webcomponent/polyfills.js" type="module"></script>
<script src="/webcomponent/main.js" type="module"></script>
</body></html>`;
// The FHIR library holds non-ASCII parser tables: it must be served as UTF-8.
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split('?')[0]);
  if (url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
    return;
  }
  const file = path.join(root, url);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});

function walk(items, out = []) {
  for (const item of items || []) {
    out.push(item);
    walk(item.item, out);
  }
  return out;
}

const byLinkId = new Map(walk(questionnaire.item).map((item) => [item.linkId, item]));

function label(item, code) {
  const option = (item.answerOption || []).find((o) => o.valueCoding && o.valueCoding.code === code);
  if (!option) throw new Error(`${item.linkId}: no answer option ${code}`);
  return option.valueCoding.display;
}

async function present(page, linkId) {
  // The form shows an item a moment after the answer that enables it: wait a little.
  try {
    await page.locator(`[id^="item-${linkId}/"]`).first().waitFor({ timeout: 2000 });
    return true;
  } catch {
    return false;
  }
}

async function choose(page, linkId, text, multiple) {
  const input = page.locator(`input[id^="${linkId}/"]`).first();
  const item = page.locator(`[id^="item-${linkId}/"]`).first();
  for (let attempt = 0; ; attempt += 1) {
    await input.click();
    await input.fill('');
    await input.pressSequentially(text);
    const option = page.locator('#lhc-tools-searchResults li', { hasText: text }).first();
    await option.waitFor({ state: 'visible' });
    await option.click();
    // A single choice shows its label in the field; a multiple one adds a chip.
    const taken = multiple
      ? (await item.locator('.autocomp_selected li', { hasText: text }).count()) > 0
      : (await input.inputValue()) === text;
    if (taken) return;
    if (attempt === 5) throw new Error(`${linkId}: the form did not take ${text}`);
    await page.waitForTimeout(200);
  }
}

async function answer(page, item, value) {
  const linkId = item.linkId;
  switch (item.type) {
    case 'boolean': {
      // The radio may appear before the form listens to it: click until it holds.
      const radio = page.locator(`[id^="${linkId}/"][id$="|${value ? 'true' : 'false'}"]`).first();
      for (let attempt = 0; ; attempt += 1) {
        await radio.click();
        if (await radio.locator('input').isChecked()) break;
        if (attempt === 20) throw new Error(`${linkId}: the form did not take the answer ${value}`);
        await page.waitForTimeout(100);
      }
      break;
    }
    case 'choice':
      if (item.repeats) {
        // Start from an empty list: take off what the form pre-selected.
        const chips = page.locator(`[id="item-${linkId}/1/1"], [id^="item-${linkId}/"]`).locator('.autocomp_selected li button');
        while ((await chips.count()) > 0) await chips.first().click();
        for (const code of value) await choose(page, linkId, label(item, code), true);
      } else {
        await choose(page, linkId, label(item, value), false);
      }
      break;
    case 'integer':
    case 'decimal': {
      const input = page.locator(`input[id^="${linkId}/"]`).first();
      await input.fill(String(value));
      await input.press('Tab');
      break;
    }
    default:
      throw new Error(`${linkId}: this tool does not fill ${item.type} items`);
  }
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.LForms && window.LForms.Util);
  await page.addScriptTag({ url: '/fhir/R4/lformsFHIR.min.js' });
  await page.waitForFunction(() => window.LForms.FHIR);
  await page.evaluate((q) => window.LForms.Util.addFormToPage(q, 'form', {}), questionnaire);
  await page.locator('[id^="item-"]').first().waitFor();

  const hidden = [];
  for (const item of walk(questionnaire.item)) {
    if (!(item.linkId in answers)) continue;
    if (!(await present(page, item.linkId))) {
      hidden.push(item.linkId);
      continue;
    }
    await answer(page, item, answers[item.linkId]);
  }
  await page.mouse.click(5, 5);
  await page.waitForTimeout(300);

  const ids = await page.locator('[id^="item-"]').evaluateAll((nodes) => nodes.map((n) => n.id));
  const shownIds = ids.map((id) => id.slice('item-'.length).split('/')[0]);
  const shown = shownIds.filter((id) => byLinkId.has(id) && !['group', 'display'].includes(byLinkId.get(id).type));
  const displays = [];
  for (const id of shownIds) {
    const item = byLinkId.get(id);
    if (item && item.type === 'display' && !id.endsWith('.help')) displays.push(item.text);
  }
  const response = await page.evaluate(() =>
    window.LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form')),
  );
  if (args.response) fs.writeFileSync(args.response, JSON.stringify(response, null, 2) + '\n');
  if (args.screenshot) await page.screenshot({ path: args.screenshot, fullPage: true });
  if (errors.length) throw new Error(`errors on the page: ${errors.join('; ')}`);
  process.stdout.write(JSON.stringify({ shown, hidden, displays, response }) + '\n');
} finally {
  await browser.close();
  server.close();
}
