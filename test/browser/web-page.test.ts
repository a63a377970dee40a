import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { serveApi } from '../../api/serve';
import { MAX_FORM_BYTES } from '../../web/app';
import { startSshd, type TestSshd } from '../sources/sshd';
import { BATCH_RIGHTS, createDistrictWithKey, DATA_TEAM_RIGHTS, issueKey, putServerFile } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';
import { focused, horizontalOverflow, launchChromium, seriousAccessibilityViolations } from './browser';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const DIR = 'Eligibility';
const FILE = 'IC_Eligibility_web.csv';
// line 2 is a known student, line 3 one the district does not have
const ELIGIBILITY = ['ID,S,T,A,B', '000123,F,D,08/15/2025,06/30/2026', '999999,R,D,08/15/2025,06/30/2026', ''].join('\r\n');

/** The README walkthrough in a real browser: sign in, mapping, import, fingerprint, Test Import, Run, batch. */
describe('the admin web page, in Chromium', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  /** Between the imports and sshd: closed, it holds a run at its connection, so the page shows it running. */
  let gate: TcpGate;
  let api: { url: string; stop(): Promise<void> };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let a: { districtId: string; key: string };
  let importId = '';
  const consoleErrors: string[] = [];

  const url = (path: string) => `${api.url}/ui${path}`;
  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const accessible = async (p: Page) => assert.deepEqual(await seriousAccessibilityViolations(p), [], p.url());
  const apiGet = async (path: string, key = a.key) => (await system.call('GET', path, { key })).body;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [system, sshd, browser] = await Promise.all([startTestSystem(), startSshd(), launchChromium()]);
    api = await serveApi(system.config, { host: '127.0.0.1', port: 0 });
    gate = await startTcpGate({ host: sshd.host, port: sshd.port });
    gate.open();
    putServerFile(sshd, DIR, FILE, ELIGIBILITY);
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    // Chromium reports what the content security policy refused, and script errors, on the console; the
    // HTTP errors the tests provoke (422 for a refused form, the browser's own /favicon.ico) are not in question
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });
  after(async () => {
    await browser?.close();
    await api?.stop();
    await gate?.stop();
    await sshd?.stop();
    await system?.stop();
  });

  const signIn = async (p: Page, key: string) => {
    await p.goto(url('/sign-in'));
    await p.getByLabel('API key', { exact: true }).fill(key);
    await p.getByRole('button', { name: 'Sign in' }).click();
  };

  it('the platform admin creates a district and issues its key, shown once', async () => {
    await signIn(page, system.config.adminApiKey);
    await page.getByLabel('Name', { exact: true }).fill('Web A');
    await page.getByLabel('Time zone', { exact: true }).fill('America/Chicago');
    await page.getByRole('button', { name: 'Create district' }).click();
    await page.getByText('District "Web A" created.').waitFor();
    const districtId = page.url().split('/districts/')[1]!.split('/')[0]!;
    await page.getByLabel('Name', { exact: true }).fill('data team');
    for (const right of [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS]) await page.getByLabel(right).check();
    await page.getByRole('button', { name: 'Issue key' }).click();
    const key = (await page.locator('#issued-key').textContent())!;
    assert.deepEqual((await system.call('GET', `/api/districts/${districtId}/keys`)).body.map((k: { rights: string[] }) => k.rights.length), [7]);
    await accessible(page);
    // the screenshot in the docs shows no key, even a dead one
    await page.locator('#issued-key').evaluate((element, text) => ((element as { textContent: string }).textContent = text), 'si_… (the new key, shown once)');
    await shoot('keys');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out.').waitFor();
    a = { districtId, key };
  });

  it('signs in with an API key into an httpOnly, SameSite=Strict session cookie', async () => {
    const signInPage = await page.goto(url('/'));
    assert.match(page.url(), /\/ui\/sign-in$/);
    const policy = signInPage!.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    await accessible(page);
    await shoot('sign-in');
    await page.getByLabel('API key', { exact: true }).fill(a.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    const [cookie] = await context.cookies();
    assert.deepEqual({ name: cookie?.name, httpOnly: cookie?.httpOnly, sameSite: cookie?.sameSite }, { name: 'si_session', httpOnly: true, sameSite: 'Strict' });
    assert.ok(!cookie!.value.includes(a.key));
  });

  it('adds students', async () => {
    await page.goto(url('/students'));
    await page.getByLabel('Students', { exact: true }).fill('000123, Ana, Lopez, 2015-04-02\n');
    await page.getByRole('button', { name: 'Save students' }).click();
    await page.getByText('1 student saved.').waitFor();
    assert.equal((await apiGet('/api/students/000123')).firstName, 'Ana');
    await accessible(page);
  });

  it('creates a mapping', async () => {
    await page.goto(url('/mappings/new'));
    await accessible(page);
    await page.getByLabel('Name', { exact: true }).fill('Third Party 2026');
    await page.getByLabel('School year', { exact: true }).fill('2026');
    for (const [label, column] of [['Student number', 'ID'], ['Eligibility', 'S'], ['Certified type', 'T'], ['Start date', 'A'], ['End date', 'B']]) {
      await page.getByLabel(label!, { exact: true }).fill(column!);
    }
    await page.getByRole('button', { name: 'Create mapping' }).click();
    await page.getByRole('heading', { name: 'Third Party 2026' }).waitFor();
  });

  it("shows the API's validation errors beside their fields, tied by aria-describedby, and never sends a typed password back", async () => {
    await page.goto(url('/imports/new'));
    await page.getByLabel('Name', { exact: true }).fill('Bad/Name');
    await page.getByLabel('Password', { exact: true }).fill('typed-secret-2718');
    await page.getByRole('button', { name: 'Create import' }).click();
    assert.ok(!(await page.content()).includes('typed-secret-2718'), 'the refused form comes back without the password');
    const name = page.getByLabel('Name', { exact: true });
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    const described = (await name.getAttribute('aria-describedby'))!.split(' ');
    const messages = await Promise.all(described.map((id) => page.locator(`#${id}`).textContent()));
    assert.ok(messages.includes('may contain only letters, digits and spaces'), messages.join(' | '));
    await accessible(page);
    await shoot('import-form-errors');
  });

  it('creates an import against the SFTP server; the password is never shown', async () => {
    const connection = sshd.connection(DIR);
    await page.goto(url('/imports/new'));
    await page.getByLabel('Name', { exact: true }).fill('Third Party Eligibility');
    await page.getByLabel('Mapping (eligibility imports)', { exact: true }).selectOption({ label: 'Third Party 2026' });
    const domain = page.getByLabel('Domain (SMB)', { exact: true });
    assert.equal(await domain.isVisible(), false, 'an SFTP import has no domain');
    await page.getByLabel('Protocol', { exact: true }).selectOption('smb');
    assert.equal(await domain.isVisible(), true);
    await page.getByLabel('Protocol', { exact: true }).selectOption('sftp');
    await page.getByLabel('Host', { exact: true }).fill(connection.host);
    await page.getByLabel('Port', { exact: true }).fill(String(gate.port));
    await page.getByLabel('Username', { exact: true }).fill(connection.username);
    await page.getByLabel('Password', { exact: true }).fill(connection.password!);
    await page.getByLabel('Directory path', { exact: true }).fill(DIR);
    await page.getByRole('button', { name: 'Create import' }).click();
    await page.getByText('Import created.').waitFor();
    importId = page.url().split('/imports/')[1]!.split('?')[0]!;
    assert.equal((await apiGet(`/api/imports/${importId}`)).name, 'Third Party Eligibility');
    assert.ok(!(await page.content()).includes(connection.password!), 'the page never holds the password');
    assert.match((await page.locator('#f-connection-password-hint').textContent())!, /^Set\./);
  });

  it('Test Connection shows the unknown host key; one click pins it, and the files are listed', async () => {
    await page.getByRole('button', { name: 'Test Connection' }).click();
    const result = page.locator('#connection-result');
    await result.getByText('HOST_KEY_UNKNOWN').waitFor();
    assert.equal(await result.locator('.fingerprint').textContent(), sshd.fingerprint);
    await accessible(page);
    await shoot('test-connection-fingerprint');
    await page.getByRole('button', { name: 'Trust this fingerprint' }).click();
    await page.locator('.notice', { hasText: 'pinned' }).waitFor();
    assert.equal((await apiGet(`/api/imports/${importId}`)).connection.trust.sha256, sshd.fingerprint);
    await page.getByRole('button', { name: 'Test Connection' }).click();
    await page.locator('#connection-result').getByText('Connected').waitFor();
    assert.ok(await page.locator('#connection-result td', { hasText: FILE }).isVisible());
  });

  it('Test Import shows live progress, then the report with problems by line, and renames nothing', async () => {
    gate.close();
    await page.getByRole('button', { name: 'Test Import' }).click();
    await page.locator('#progress').waitFor();
    while (gate.waiting() === 0) await new Promise((r) => setTimeout(r, 100));
    assert.match((await page.locator('#progress').textContent())!, /^(queued|running): 0 rows read/);
    assert.equal(await page.getByRole('heading', { name: 'Report' }).count(), 0, 'no report while it runs');
    // the page's script polls the run and shows the report once it has finished, with no reload by the test
    gate.open();
    await page.getByRole('heading', { name: 'Report' }).waitFor({ timeout: 60_000 });
    assert.match((await page.locator('#progress').textContent())!, /^completed: 2 rows read/);
    const problem = page.locator('#problems tbody tr');
    assert.deepEqual(await problem.locator('td').allTextContents().then((cells) => [cells[1], cells[3]]), ['3', 'STUDENT_NOT_FOUND']);
    assert.equal(await page.locator('#records tbody tr').count(), 1);
    assert.ok(existsSync(join(sshd.rootDir, DIR, FILE)), 'a dry run renames nothing');
    const csv = await context.request.get(`${page.url().split('?')[0]}/report.csv`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /000123/);
    await accessible(page);
    await shoot('test-import-report');
  });

  it('Run applies the file, renames it, and the import lists the new run', async () => {
    await page.goto(url(`/imports/${importId}`));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('heading', { name: 'Report' }).waitFor({ timeout: 60_000 });
    const renamedTo = (await page.locator('#files tbody td').nth(1).textContent())!;
    assert.match(renamedTo, /^P_IC_Eligibility_web_\d{8}T\d{6}Z\.csv$/);
    assert.deepEqual(readdirSync(join(sshd.rootDir, DIR)).filter((n) => n.endsWith('.csv')), [renamedTo]);
    await page.getByRole('link', { name: 'Back to the import' }).click();
    const runs = page.locator('section[aria-labelledby="runs-heading"] tbody tr');
    assert.deepEqual(await runs.locator('td:nth-child(2)').allTextContents(), ['Run', 'Test Import']);
    await accessible(page);
    await shoot('import-detail');
  });

  it('reads at 200% zoom: the main pages reflow into 640 CSS pixels with no sideways scrolling', async () => {
    const zoomed = await browser.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2, storageState: await context.storageState() });
    try {
      const p = await zoomed.newPage();
      const runId = (await apiGet(`/api/runs?importId=${importId}`))[0].id;
      for (const path of ['/', `/imports/${importId}`, `/runs/${runId}`, '/batch-queue', '/mappings', '/roster', '/students']) {
        await p.goto(url(path));
        assert.equal(await horizontalOverflow(p), 0, path);
      }
    } finally {
      await zoomed.close();
    }
  });

  it('works from the keyboard alone, with a visible focus', async () => {
    await page.goto(url(`/imports/${importId}`));
    let tabs = 0;
    while ((await focused(page)).text !== 'Test Connection') {
      assert.ok(++tabs < 30, 'Test Connection is reached with Tab');
      await page.keyboard.press('Tab');
    }
    assert.match((await focused(page)).outline, /^solid [1-9]/);
    await page.keyboard.press('Enter');
    await page.locator('#connection-result').getByText('Connected').waitFor();
  });

  it('submits to the batch with High Priority, and cancels it in the Batch Queue', async () => {
    await page.goto(url(`/imports/${importId}`));
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('Start at', { exact: true }).fill(local);
    await page.getByLabel('High Priority', { exact: true }).check();
    await page.getByRole('button', { name: 'Submit to Batch' }).click();
    await page.getByRole('heading', { name: 'Batch Queue' }).waitFor();
    const row = page.locator('#batch-queue tbody tr');
    assert.deepEqual(await row.locator('td').allTextContents().then((cells) => cells.slice(1, 3)), ['queued', 'yes']);
    await accessible(page);
    await shoot('batch-queue');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Canceled.').waitFor();
    assert.equal((await apiGet('/api/batch-queue'))[0].status, 'canceled');
  });

  it('schedules the import nightly and shows its next runs; a blank password field keeps the stored one', async () => {
    await page.goto(url(`/imports/${importId}`));
    await page.getByLabel('Frequency', { exact: true }).selectOption('daily');
    await page.getByLabel('Time', { exact: true }).fill('22:00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const next = (await apiGet(`/api/imports/${importId}`)).nextRuns as string[];
    assert.equal(next.length > 0, true);
    assert.match((await page.locator('dt:has-text("Next runs") + dd').textContent())!, new RegExp(next[0]!.slice(0, 16).replace('T', ' ')));
    // saved with the password field blank: the stored password was kept, so the import still connects
    await page.getByRole('button', { name: 'Test Connection' }).click();
    await page.locator('#connection-result').getByText('Connected').waitFor();
    await page.goto(url('/'));
    assert.match((await page.locator('tbody tr td').nth(2).textContent())!, /^daily at 22:00/);
    await accessible(page);
    await shoot('import-list');
  });

  it("pages a large report with the API's cursor", async () => {
    const rows = Array.from({ length: 55 }, (_, i) => `9${String(i).padStart(5, '0')},F,D,08/15/2025,06/30/2026`);
    putServerFile(sshd, DIR, 'IC_Eligibility_many.csv', ['ID,S,T,A,B', ...rows, ''].join('\r\n'));
    await page.goto(url(`/imports/${importId}`));
    await page.getByRole('button', { name: 'Test Import' }).click();
    await page.getByRole('heading', { name: 'Report' }).waitFor({ timeout: 60_000 });
    const lines = () => page.locator('#problems tbody tr td:nth-child(2)').allTextContents();
    const first = await lines();
    assert.equal(first.length, 50);
    await page.getByRole('link', { name: 'Next page of the report' }).click();
    await page.getByRole('heading', { name: 'Report' }).waitFor();
    assert.deepEqual([...first, ...(await lines())], rows.map((_, i) => String(i + 2)));
    assert.equal(await page.getByRole('link', { name: 'Next page of the report' }).count(), 0);
  });

  it('shows schools and orders with licence counts', async () => {
    await page.goto(url('/roster'));
    await page.getByLabel('Code', { exact: true }).fill('LIN');
    await page.getByLabel('Name', { exact: true }).fill('Lincoln Elementary');
    await page.getByRole('button', { name: 'Add school' }).click();
    await page.getByText('School added.').waitFor();
    await page.getByLabel('School code (regular orders)', { exact: true }).fill('LIN');
    await page.getByLabel('Licences', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Add order' }).click();
    await page.getByText('Order added.').waitFor();
    assert.deepEqual(await page.locator('#orders tbody td').allTextContents(), ['regular', 'LIN', '30', '0', '30']);
    await accessible(page);
    await shoot('roster');
    const { trust: _, ...connection } = sshd.connection('Roster');
    const roster = await system.call('POST', '/api/imports', { key: a.key, body: { name: 'Nightly roster', kind: 'students', connection } });
    assert.equal(roster.status, 201, roster.text);
    await page.goto(url(`/imports/${roster.body.id}`));
    assert.deepEqual(await page.locator('#licences tbody td').allTextContents(), ['regular', 'LIN', '30', '0', '30'], "a roster import's page shows the licences");
  });

  it("the audit log shows what was done from the page, under the signed-in key's name", async () => {
    const { key } = await issueKey(system, a.districtId, 'security officer', ['keys.manage']);
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await signIn(p, key);
      await p.getByRole('link', { name: 'Audit log' }).click();
      const runRow = p.locator('#audit-log tbody tr', { hasText: 'POST /api/imports/:id/run' });
      assert.deepEqual(await runRow.first().locator('td').allTextContents().then((cells) => [cells[1], cells[3], cells[4]]), ['data team', importId, '202']);
      await accessible(p);
    } finally {
      await other.close();
    }
  });

  it('refuses a form post without its CSRF token, and changes nothing', async () => {
    for (const form of [{}, { _csrf: 'forged' }] as Record<string, string>[]) {
      const res = await context.request.post(url(`/imports/${importId}/delete`), { form, maxRedirects: 0 });
      assert.equal(res.status(), 403);
    }
    assert.equal((await system.call('GET', `/api/imports/${importId}`, { key: a.key })).status, 200);
  });

  it('takes no words from a link: a notice without its signature is not shown', async () => {
    await page.goto(url('/?notice=Your%20key%20leaked%3B%20e-mail%20it%20to%20us&sig=x'));
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    assert.equal(await page.locator('.notice').count(), 0);
  });

  it('refuses a sign-in posted from another site, or larger than any form, and sets no cookie', async () => {
    const other = await browser.newContext();
    try {
      const res = await other.request.post(url('/sign-in'), { form: { key: a.key }, headers: { origin: 'https://evil.example' }, maxRedirects: 0 });
      assert.equal(res.status(), 403);
      assert.deepEqual(await other.cookies(), []);
      const huge = await other.request.post(url('/sign-in'), { form: { key: 'k'.repeat(MAX_FORM_BYTES + 1) }, maxRedirects: 0 });
      assert.equal(huge.status(), 413, 'a body larger than any form is not read');
    } finally {
      await other.close();
    }
  });

  it("a key of another district sees nothing of the first district's", async () => {
    const b = await createDistrictWithKey(system, 'Web B', 'UTC', [...DATA_TEAM_RIGHTS, ...BATCH_RIGHTS]);
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await signIn(p, b.key);
      await p.getByText('No imports yet.').waitFor();
      const runId = (await apiGet(`/api/runs?importId=${importId}`))[0].id;
      for (const path of [`/imports/${importId}`, `/runs/${runId}`, `/runs/${runId}/report.csv`]) {
        assert.equal((await p.goto(url(path)))!.status(), 404, path);
      }
      await p.goto(url('/batch-queue'));
      await p.getByText('Nothing is queued.').waitFor();
      await p.goto(url('/mappings'));
      await p.getByText('No mappings yet.').waitFor();
      const posted = await other.request.post(url(`/imports/${importId}/run`), { form: { _csrf: await p.locator('input[name="_csrf"]').first().inputValue() }, maxRedirects: 0 });
      assert.equal(posted.status(), 404);
    } finally {
      await other.close();
    }
  });

  it('over HTTPS the session cookie is also Secure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-web-tls-'));
    const tls = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', tls.keyFile, '-out', tls.certFile,
    ], { stdio: 'ignore' });
    const https = await serveApi(system.config, { host: '127.0.0.1', port: 0, tls });
    const secure = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const { key } = await createDistrictWithKey(system, 'Web E', 'UTC');
      const p = await secure.newPage();
      await p.goto(`${https.url}/ui/sign-in`);
      await p.getByLabel('API key', { exact: true }).fill(key);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByText('No imports yet.').waitFor();
      const [cookie] = await secure.cookies();
      assert.deepEqual({ name: cookie?.name, secure: cookie?.secure, httpOnly: cookie?.httpOnly }, { name: 'si_session', secure: true, httpOnly: true });
    } finally {
      await secure.close();
      await https.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a session unused for WEB_SESSION_IDLE_MINUTES, or older than WEB_SESSION_MAX_HOURS, has ended', async () => {
    const { key, keyId } = await createDistrictWithKey(system, 'Web D', 'UTC');
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await signIn(p, key);
      await p.getByText('No imports yet.').waitFor();
      const idle = system.config.webSessions.idleMinutes;
      await system.db.query(`update web_sessions set last_seen_at = now() - make_interval(mins => $2 + 1) where api_key_id = $1`, [keyId, idle]);
      await p.goto(url('/'));
      assert.match(p.url(), /\/ui\/sign-in\?reason=ended$/);
      await p.getByText('Your session has ended').waitFor();
      // and WEB_SESSION_MAX_HOURS after sign-in, however busy
      await signIn(p, key);
      await p.getByText('No imports yet.').waitFor();
      await system.db.query(`update web_sessions set expires_at = now() - interval '1 second' where api_key_id = $1`, [keyId]);
      await p.goto(url('/'));
      assert.match(p.url(), /\/ui\/sign-in\?reason=ended$/);
    } finally {
      await other.close();
    }
  });

  it('the walkthrough ran with no script error and nothing refused by the content security policy', () => {
    assert.deepEqual(consoleErrors, []);
  });

  it('signing out, or revoking the key, ends the session', async () => {
    const { key, keyId } = await createDistrictWithKey(system, 'Web C', 'UTC');
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await signIn(p, key);
      await p.getByText('No imports yet.').waitFor();
      const districtId = (await system.db.query('select district_id from api_keys where id = $1', [keyId])).rows[0].district_id;
      assert.equal((await system.call('DELETE', `/api/districts/${districtId}/keys/${keyId}`)).status, 204);
      await p.goto(url('/'));
      assert.match(p.url(), /\/ui\/sign-in\?reason=/);
      assert.equal((await system.db.query('select count(*)::int as n from web_sessions where api_key_id = $1', [keyId])).rows[0].n, 0);
    } finally {
      await other.close();
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out.').waitFor();
    await page.goto(url('/'));
    assert.match(page.url(), /\/ui\/sign-in/);
  });
});
