// The reviewer page's one stylesheet, served from /review/assets/review.css (the page's CSP
// allows styles from the gateway itself only, so nothing is inline). Plain and readable: system
// fonts, high contrast, visible focus, wrapped long text.

export const reviewerStylesheet = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #595959; --line: #c9c9c9; --accent: #0b57d0;
  --danger: #b3261e; --ok: #146c2e; --paper: #ffffff; --tint: #f4f6f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--tint); }
header.site { display: flex; flex-wrap: wrap; gap: 1rem; justify-content: space-between; align-items: center;
  padding: 0.6rem 1.5rem; background: var(--paper); border-bottom: 1px solid var(--line); }
header.site .brand { margin: 0; font-weight: 700; }
header.site nav { display: flex; gap: 1rem; align-items: center; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 0.6rem; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, textarea:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
table { width: 100%; border-collapse: collapse; background: var(--paper); }
caption { text-align: left; padding: 0.4rem 0; color: var(--muted); }
th, td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid var(--line);
  overflow-wrap: break-word; }
td a { overflow-wrap: anywhere; }
td ul, dd ul { margin: 0; padding-left: 1.2rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; background: var(--paper);
  padding: 1rem; border: 1px solid var(--line); }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.text, .passage { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--paper); margin: 0;
  padding: 0.8rem 1rem; border-left: 4px solid var(--line); }
.draft { border-left-color: var(--accent); }
.sources { padding-left: 0; list-style: none; }
.sources li { margin-bottom: 1rem; }
.source-title { margin: 0 0 0.3rem; }
.muted, .help { color: var(--muted); }
.help { font-size: 0.9rem; margin-top: -0.5rem; }
.tag { font-size: 0.8rem; padding: 0 0.4rem; border: 1px solid var(--muted); border-radius: 0.6rem; }
.card { background: var(--paper); border: 1px solid var(--line); padding: 0 1rem; margin: 1rem 0; }
fieldset { border: 0; padding: 0; margin: 0; }
legend { font-weight: 600; padding-top: 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.2rem; }
input[type=text], input[type=password], textarea { width: 100%; font: inherit; padding: 0.4rem;
  border: 1px solid var(--muted); border-radius: 3px; }
button { font: inherit; padding: 0.4rem 1.1rem; border: 1px solid var(--accent); border-radius: 3px;
  background: var(--accent); color: #ffffff; cursor: pointer; }
button.danger { background: var(--danger); border-color: var(--danger); }
button.link { background: none; border: 0; color: var(--accent); text-decoration: underline; padding: 0; }
form.inline { display: inline; }
.message { padding: 0.7rem 1rem; border-left: 4px solid; background: var(--paper); }
.message.error { border-color: var(--danger); }
.message.success { border-color: var(--ok); }
.id { font-family: ui-monospace, monospace; font-size: 1.2rem; }
`;
