// The reviewer page renders drafts, questions and passages that came from users and documents:
// any of them may hold markup. Every page is built with the `html` tag below, which escapes each
// interpolated value unless it is already escaped HTML, so escaping cannot be forgotten.

/** HTML that is safe to insert as is: built by `html`, never from a plain string. */
export class SafeHtml {
  /** Use `html`; the constructor is for this module's own results. */
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What a template may interpolate: text (escaped), escaped HTML, lists of either, or nothing. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const entities: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;',
};

/** Text escaped for element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * A tagged template that escapes every interpolated value: `html`<p>${draft}</p>``. Attribute
 * values must be quoted in the template (`href="${url}"`); quotes inside values are escaped.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}
