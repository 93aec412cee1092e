import { parseDocument } from '../../../../activities/retrieval/parse-document';

describe('parseDocument', () => {
  it('turns HTML into text with Markdown headings, without scripts, styles or markup', () => {
    const html = `<!doctype html><html><head><title>Retries &amp; timeouts</title><style>p{color:red}</style></head>
      <body><nav>Home</nav><h1>Retries</h1><p>Activities are <b>retried</b> with backoff.</p><script>alert('x')</script>
      <h2>Timeouts</h2><ul><li>start-to-close</li><li>heartbeat</li></ul></body></html>`;
    const { documents } = parseDocument({ documentId: 'guide.html', text: html, format: 'html' });
    expect(documents).toEqual([{
      documentId: 'guide.html', title: 'Retries & timeouts',
      text: '# Retries\n\nActivities are retried with backoff.\n\n## Timeouts\n\nstart-to-close\n\nheartbeat',
    }]);
  });

  it('reads a data table row by row with its column names, and code blocks without their markup', () => {
    const html = `<h1>Plans</h1><table><caption>Prices</caption><thead><tr><th>Plan</th><th>Price</th></tr></thead>
      <tbody><tr><td>Basic</td><td>$10</td></tr><tr><td>Pro</td><td>$25 a month.</td></tr></tbody></table>
      <table><tr><td>a</td><td>b</td></tr></table>
      <pre><code><span class="k">const</span> x = 1 &lt; 2;</code></pre>`;
    expect(parseDocument({ documentId: 'p.html', text: html, format: 'html' }).documents[0]?.text).toBe(
      '# Plans\n\nPrices\n\nPlan: Basic; Price: $10.\n\nPlan: Pro; Price: $25 a month.\n\na | b\n\nconst x = 1 < 2;',
    );
    // A table that lays out a page keeps the page's headings and paragraphs.
    const layout = '<table><tr><td><h2>Shop</h2><p>Open daily.</p></td><td><p>Call us.</p></td></tr></table>';
    expect(parseDocument({ documentId: 'old.html', text: layout, format: 'html' }).documents[0]?.text)
      .toBe('## Shop\n\nOpen daily.\n\nCall us.');
  });

  it('skips an HTML page with no readable text', () => {
    expect(parseDocument({ documentId: 'empty.html', text: '<html><script>x()</script></html>', format: 'html' })).toEqual({
      documents: [], skipped: [{ documentId: 'empty.html', reason: 'no readable text in HTML' }],
    });
  });

  it('reads JSON lines as one document per record and skips bad records with their line', () => {
    const text = [
      JSON.stringify({ id: 'a', title: 'Alpha', text: 'First record.' }),
      '{not json',
      JSON.stringify({ id: 'b', content: 'Second record.' }),
      JSON.stringify([1, 2]),
      JSON.stringify({ id: 'c', text: '' }),
      JSON.stringify({ body: 'No id here.' }),
      JSON.stringify({ id: 'a', text: 'Duplicate id.' }),
    ].join('\n');
    const outcome = parseDocument({ documentId: 'set.jsonl', text, format: 'jsonl' });
    expect(outcome.documents).toEqual([
      { documentId: 'set.jsonl#a', title: 'Alpha', text: 'First record.', source: 'set.jsonl' },
      { documentId: 'set.jsonl#b', title: 'b', text: 'Second record.', source: 'set.jsonl' },
      { documentId: 'set.jsonl#line-6', title: 'line-6', text: 'No id here.', source: 'set.jsonl' },
    ]);
    expect(outcome.skipped.map((skip) => skip.reason)).toEqual([
      'line 2: not valid JSON', 'line 4: not a JSON object',
      'line 5: no text (expected a "text", "content" or "body" string, or "question" and "answer")', 'line 7: duplicate id',
    ]);
  });

  it('reads an FAQ export\'s question and answer records, titled by the question', () => {
    const text = [
      JSON.stringify({ id: 1, question: ' Can I get a refund? ', answer: 'Yes, within 30 days of purchase.' }),
      JSON.stringify({ id: 2, question: 'How do I reset my password?', answer: '' }),
      JSON.stringify({ id: 3, title: 'Billing', question: 'Do you take PayPal?', answer: 'Yes.', text: 'ignored' }),
    ].join('\n');
    const outcome = parseDocument({ documentId: 'faq.jsonl', text, format: 'jsonl' });
    expect(outcome.documents).toEqual([
      {
        documentId: 'faq.jsonl#1', title: 'Can I get a refund?', source: 'faq.jsonl',
        text: 'Can I get a refund?\n\nYes, within 30 days of purchase.',
      },
      { documentId: 'faq.jsonl#3', title: 'Billing', text: 'Do you take PayPal?\n\nYes.', source: 'faq.jsonl' },
    ]);
    expect(outcome.skipped).toEqual([{ documentId: 'faq.jsonl#2', reason: expect.stringContaining('line 2: no text') }]);
  });

  it('reads a CSV price list row by row with its column names, quotes and line breaks in cells kept', () => {
    const text = 'Plan,Price,Notes\r\nPro,25 USD,"Includes SSO, audit logs"\r\n,,\r\nEnterprise,"Ask ""sales""","Two\nlines"\r\n';
    const outcome = parseDocument({ documentId: 'pricing.csv', text, format: 'csv' });
    expect(outcome.documents).toEqual([{
      documentId: 'pricing.csv', title: 'pricing',
      text: 'Plan: Pro; Price: 25 USD; Notes: Includes SSO, audit logs.\n\n'
        + 'Plan: Enterprise; Price: Ask "sales"; Notes: Two lines.',
    }]);
    const tsv = parseDocument({ documentId: 'hours.tsv', text: 'Day\tOpen\nMonday\t8-18\nSunday\t', format: 'tsv' });
    expect(tsv.documents[0]?.text).toBe('Day: Monday; Open: 8-18.\n\nDay: Sunday.');
    expect(parseDocument({ documentId: 'empty.csv', text: 'Plan,Price\n', format: 'csv' }).skipped)
      .toEqual([{ documentId: 'empty.csv', reason: 'no data rows' }]);
  });

  it('takes the title from the document id for Markdown and text', () => {
    expect(parseDocument({ documentId: 'guides/durability.md', text: '# x\n\ny', format: 'markdown' }).documents[0]?.title).toBe('durability');
    expect(parseDocument({ documentId: 'n', text: ' \n ', format: 'text' }).skipped).toEqual([{ documentId: 'n', reason: 'empty' }]);
  });

  it('drops a static-site page\'s front matter from the text and takes its title', () => {
    const page = (text: string) => parseDocument({ documentId: 'docs/refunds.md', text, format: 'markdown' }).documents[0];
    const yaml = '---\ntitle: "Returns: and refunds"\nsidebar_position: 2\ntags:\n  - billing\n---\n\nRefunds take 5 days.';
    expect(page(yaml)).toMatchObject({ title: 'Returns: and refunds', text: '\nRefunds take 5 days.' });
    expect(page('+++\ntitle = \'Refunds\'\ndraft = false\n+++\nRefunds take 5 days.')).toMatchObject({
      title: 'Refunds', text: 'Refunds take 5 days.',
    });
    // Without a title field the file name stays the title; a page that only opens with a rule keeps its text.
    expect(page('---\nlayout: post\n---\nBody.')).toMatchObject({ title: 'refunds', text: 'Body.' });
    const ruled = '---\nRefunds take 5 days.\n\n---\nMore.';
    expect(page(ruled)).toMatchObject({ title: 'refunds', text: ruled });
    expect(parseDocument({ documentId: 'a.md', text: '---\ntitle: Only\n---\n', format: 'markdown' }).skipped)
      .toEqual([{ documentId: 'a.md', reason: 'empty' }]);
  });
});
