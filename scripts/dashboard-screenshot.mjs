// Screenshot of the Aspire dashboard with headless Chromium over the DevTools protocol, after
// Blazor has rendered (a plain --screenshot catches the page before it has).
// node --experimental-websocket scripts/dashboard-screenshot.mjs URL OUT.png [PATH_AFTER_LOGIN]
// FULL_PAGE=1: the whole page, as tall as it is (a report section cut out by report-sections.mjs).
// FILTER=TEXT: typed into the page's Filter box first (a trace's spans by name, e.g. FILTER='NOT VALID').
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, out, after = ''] = process.argv.slice(2);
const port = 9300 + Math.floor(Math.random() * 500);
const profile = mkdtempSync(join(tmpdir(), 'fkh-chromium-'));
const chromium = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', `--remote-debugging-port=${port}`,
  `--user-data-dir=${profile}`, '--window-size=1600,1000', 'about:blank'], { stdio: 'ignore' });
const sleep = ms => new Promise(r => setTimeout(r, ms));
try {
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    try { target = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()).find(t => t.type === 'page'); } catch { await sleep(200); }
  }
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise(r => ws.addEventListener('open', r));
  let id = 0; const pending = new Map();
  ws.addEventListener('message', e => { const m = JSON.parse(e.data); if (pending.has(m.id)) { pending.get(m.id)(m.result); pending.delete(m.id); } });
  const send = (method, params = {}) => new Promise(r => { pending.set(++id, r); ws.send(JSON.stringify({ id, method, params })); });
  const evaluate = async expression => (await send('Runtime.evaluate', { expression, returnByValue: true }))?.result?.value;
  await send('Page.enable');
  await send('Emulation.setDeviceMetricsOverride', { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false });
  await send('Page.navigate', { url });
  // Wait for the Blazor circuit to render the page (its grid rows), then a little more for the data.
  const waitForRows = async () => {
    for (let i = 0; i < 150; i++) {
      if (await evaluate("document.querySelectorAll('fluent-data-grid-row, .fluent-data-grid-row, tr').length > 2")) return true;
      await sleep(200);
    }
    return false;
  };
  await waitForRows();
  if (after) {
    const base = new URL(url); await send('Page.navigate', { url: `${base.origin}${after}` }); await sleep(1000); await waitForRows();
  }
  // Dismiss the "no trusted development certificate" notice: the dashboard runs over http on loopback on purpose.
  await evaluate("document.querySelectorAll('.dashboard-message-bar-dismiss').forEach(b => b.click())");
  if (process.env.FILTER) {
    const text = JSON.stringify(process.env.FILTER);
    await evaluate(`(() => { const box = document.querySelector('fluent-text-input[placeholder]'); const input = box.shadowRoot?.querySelector('input') ?? box;
      input.focus(); input.value = ${text}; input.dispatchEvent(new Event('input', { bubbles: true, composed: true })); input.dispatchEvent(new Event('change', { bubbles: true, composed: true })); })()`);
  }
  if (process.env.PROBE) {
    console.log(await evaluate(process.env.PROBE));
  }
  if (process.env.OPEN_FIRST_TRACE) {
    await evaluate("[...document.querySelectorAll('*')].find(e => e.children.length === 0 && e.textContent.trim().startsWith('rehearsal: rehearsal'))?.click()");
    await sleep(2000); await waitForRows();
  }
  await sleep(3000);
  if (process.env.FULL_PAGE) {
    await send('Emulation.setDeviceMetricsOverride', { width: 1600, height: 100, deviceScaleFactor: 1, mobile: false });
    await sleep(300);
    const height = await evaluate('Math.ceil(document.documentElement.scrollHeight)');
    await send('Emulation.setDeviceMetricsOverride', { width: 1600, height, deviceScaleFactor: 1, mobile: false });
    await sleep(500);
  }
  const shot = await send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(out, Buffer.from(shot.data, 'base64'));
  console.log(`saved ${out}`);
  ws.close();
} finally {
  // The profile goes with it: once Chromium has exited, nothing holds its files.
  if (chromium.exitCode === null && chromium.signalCode === null) {
    const exited = new Promise(r => chromium.once('exit', r));
    chromium.kill();
    await exited;
  }
  rmSync(profile, { recursive: true, force: true });
}
