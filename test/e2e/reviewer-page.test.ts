import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addApiKey } from '../../client/gateway-keys';
import { SluiceClient } from '../../client/sluice-client';
import type { IngestResult } from '../../contracts/ingest';
import { workflowIds, workflowTypes } from '../../contracts/workflow-types';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway';
import { chromiumPath } from '../helpers/chromium';
import { plainClientOptions, startTestStack, type TestStack } from '../helpers/temporal-env';
import { reviewCatalog, waitForPendingReview } from '../workflows/review-fixtures';

// The reviewer page in a real browser, end to end: headless Chromium signs in with a reviewer
// key, finds a run waiting for review in the inbox, edits the draft, approves it, and the run
// completes with the edited answer. A reviewer of another tenant sees none of it.

const corpus = join(__dirname, '..', '..', 'examples', 'corpus');
const screenshots = join(__dirname, '..', '..', 'test-output');
const question = 'What happens to the workflow when a worker process crashes?';
const editedAnswer = 'The workflow resumes on another worker, which replays the history [1].';

describe('reviewer page in a browser', () => {
  let stack: TestStack;
  let client: SluiceClient;
  let gateway: RunningGateway;
  let browser: Browser;
  const tokens = { alice: '', gina: '' };
  /** What the gateway logged, one JSON line each. */
  const logged: string[] = [];

  /** A page of a fresh browser context (its own cookies), signed in with `token`. */
  const signIn = async (token: string): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    expect((await page.goto(`${gateway.url}/review`))?.status()).toBe(200);
    await page.getByLabel('Access key').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/review/inbox');
    return page;
  };

  beforeAll(async () => {
    // First, so a missing browser fails in seconds with what to install.
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    stack = await startTestStack((env) => ({ modelCatalog: reviewCatalog(), gates: { client: env.client } }));
    const ingested = await stack.execute<IngestResult>(workflowTypes.ingest, workflowIds.ingest('acme', 'corpus'), {
      tenant: 'acme', ingestId: 'corpus', path: corpus,
    });
    expect(ingested.ingestedDocuments).toBe(5);
    client = await SluiceClient.connect({ temporalAddress: stack.env.address }, plainClientOptions);
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-reviewer-page-'));
    const keysFile = join(dataDir, 'gateway-keys.json');
    tokens.alice = (await addApiKey(keysFile, {
      tenant: 'acme', name: 'alice', roles: ['reviewer'], reviewerGroups: ['support'],
    })).token;
    tokens.gina = (await addApiKey(keysFile, { tenant: 'globex', name: 'gina', roles: ['reviewer'] })).token;
    gateway = await startGateway({
      client, dataDir, host: '127.0.0.1', port: 0, environment: {},
      logger: pino({ level: 'info' }, new Writable({
        write(chunk, _encoding, done) {
          logged.push(String(chunk));
          done();
        },
      })),
    });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await client?.close();
    await stack?.stop();
  });

  it('signs a reviewer in, shows the run in the inbox, and releases the edited draft', async () => {
    const { workflowId } = await client.startAnswer({
      tenant: 'acme', question, route: 'reviewed', userId: 'dave', requestId: 'page-1',
    });
    await waitForPendingReview(stack.env.client.workflow.getHandle(workflowId));

    const alice = await signIn(tokens.alice);
    const policyViolations: string[] = [];
    alice.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    // The visibility list lags a run's start by a moment.
    const runLink = alice.getByRole('link', { name: workflowId });
    for (let attempt = 0; (await runLink.count()) === 0 && attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await alice.reload();
    }
    expect(await runLink.count()).toBe(1);
    const row = alice.getByRole('row', { name: new RegExp(workflowId) });
    expect(await row.textContent()).toContain(question);
    expect(await row.textContent()).toContain('support');
    mkdirSync(screenshots, { recursive: true });
    await alice.screenshot({ path: join(screenshots, 'reviewer-inbox.png'), fullPage: true });
    // The stylesheet loads under the page's CSP.
    // (A string: this project compiles without the DOM's types.)
    expect(await alice.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(244, 246, 248)');

    // A reviewer of another tenant, meanwhile: an empty inbox, and the run's address is not found.
    const gina = await signIn(tokens.gina);
    expect(await gina.getByText('Nothing is waiting for review.').count()).toBe(1);
    const foreign = await gina.goto(`${gateway.url}/review/runs/${encodeURIComponent(workflowId)}`);
    expect(foreign?.status()).toBe(404);
    expect(await gina.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');

    await runLink.click();
    await alice.waitForURL(`**/review/runs/${encodeURIComponent(workflowId)}`);
    expect(await alice.getByRole('heading', { level: 1 }).textContent()).toBe(`Review ${workflowId}`);
    expect(await alice.getByRole('heading', { name: 'Sources' }).count()).toBe(1);
    expect(await alice.locator('.sources li').first().textContent()).toContain('[1]');
    const answerBox = alice.getByLabel('Answer to release');
    expect((await answerBox.inputValue()).trim()).toMatch(/\[1\]/);

    // An edit the output gates stop is a message on the page; the run keeps waiting.
    await answerBox.fill('Ask jane.roe@example.org or call +1 415 555 0199 [1].');
    await alice.getByRole('button', { name: 'Approve with edits' }).click();
    await alice.waitForURL('**/decision');
    expect(await alice.getByRole('alert').textContent())
      .toMatch(/^Not taken: edit refused by the output gates: pii-leak/);

    await alice.getByLabel('Answer to release').fill(editedAnswer);
    await alice.getByRole('button', { name: 'Approve with edits' }).click();
    await alice.waitForURL('**/review/inbox');
    expect(await alice.getByRole('status').textContent()).toBe(`approved ${workflowId} with your edits`);
    expect(policyViolations).toEqual([]);

    const result = await client.waitForAnswer(workflowId);
    expect(result.status).toBe('answered');
    expect(result.answer).toBe(editedAnswer);
    expect(result.review).toMatchObject({ decision: 'edit', reviewer: 'alice', group: 'support', refusedEdits: 1 });

    // The gateway logged the pages served, but no key, question or reviewer's text.
    const log = logged.join('');
    expect(log).toContain('reviewer signed in');
    for (const secret of [tokens.alice, tokens.gina, question, editedAnswer, 'jane.roe@example.org']) {
      expect(log).not.toContain(secret.replace(/^sk_[0-9a-f]{16}_/, ''));
    }
  });
});
