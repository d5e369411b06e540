import { escapeHtml } from '../../notifications/email-markup.js';

/** Markup that is already safe: made by `html` or `raw`. Anything else put into a template is escaped. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What a template may hold: text (escaped), safe markup, nothing (null, undefined, false print nothing), or a list of these. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * The console's only template engine: a tagged template that escapes every value unless it is SafeHtml,
 * so `html\`<td>${name}</td>\`` is safe whatever `name` holds. Nested `html` results and arrays compose.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup, as is (our own constant strings only: never anything a user, a platform or a database gave). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
