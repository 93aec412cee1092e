import { html, type SafeHtml } from '../html';
import { layout } from './layout';

// The sign-in form: a reviewer pastes the access key an administrator gave them
// (`sluice gateway key create --role reviewer …`). No script: a plain POST.

export interface SignInPageOptions {
  csrf: string;
  /** Why the form is shown again: a wrong key, an ended session. */
  message?: string;
  /** The page to go to once signed in (a path under /review). */
  next?: string;
}

export function signInPage({ csrf, message, next }: SignInPageOptions): SafeHtml {
  return layout({ title: 'Sign in' }, html`<h1>Sign in to review answers</h1>
${message ? html`<p class="message error" role="alert">${message}</p>` : ''}
<form method="post" action="/review/sign-in" class="card">
<input type="hidden" name="csrf" value="${csrf}">
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
<p><label for="key">Access key</label>
<input id="key" name="key" type="password" autocomplete="off" spellcheck="false" required
 aria-describedby="key-help"></p>
<p id="key-help" class="help">The reviewer key your administrator gave you; it starts with <code>sk_</code>.</p>
<p><button type="submit">Sign in</button></p>
</form>
`);
}
