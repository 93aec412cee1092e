import { html, type SafeHtml } from '../html';

// The frame of every reviewer page: one stylesheet, no script, a header naming who is signed in
// with a sign-out form, and the page's content in <main>.

/** The stylesheet's path (served by register-reviewer-page.ts). */
export const stylesheetPath = '/review/assets/review.css';

/** Who is signed in, for the header. */
export interface SignedInHeader {
  name: string;
  tenant: string;
  /** The sign-out form's CSRF token. */
  signOutCsrf: string;
}

export interface LayoutOptions {
  /** The document title (the page's heading says the same). */
  title: string;
  reviewer?: SignedInHeader;
}

/** A full HTML document around `content`. */
export function layout({ title, reviewer }: LayoutOptions, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Sluice review</title>
<link rel="stylesheet" href="${stylesheetPath}">
</head>
<body>
<header class="site">
<p class="brand"><a href="/review/inbox">Sluice review</a></p>
${reviewer ? html`<nav aria-label="Account">
<span>Signed in as <strong>${reviewer.name}</strong> (${reviewer.tenant})</span>
<form method="post" action="/review/sign-out" class="inline">
<input type="hidden" name="csrf" value="${reviewer.signOutCsrf}">
<button type="submit" class="link">Sign out</button>
</form>
</nav>` : ''}
</header>
<main id="main">
${content}
</main>
</body>
</html>
`;
}
