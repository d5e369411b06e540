/**
 * A small, strict XML reader and writer for qbXML and the Web Connector's SOAP 1.1 messages.
 *
 * Why our own: both formats are plain elements, attributes and text (no DTDs, no mixed content), the project has
 * no XML dependency, and a strict reader refuses what QuickBooks' own parser refuses (unclosed tags, stray text).
 */

export interface XmlElement {
  /** The qualified name as written (`soap:Envelope`). */
  name: string;
  /** The name without its prefix (`Envelope`). */
  local: string;
  /** The namespace URI the prefix (or the default namespace) resolves to, '' for none. */
  namespace: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded (whitespace between child elements is not kept). */
  text: string;
}

export interface XmlDocument {
  root: XmlElement;
  /** Processing instructions before the root, e.g. `{ target: 'qbxml', data: 'version="16.0"' }`. */
  instructions: { target: string; data: string }[];
}

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at character ${offset})`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[A-Za-z_][\w.\-:]*/y;
const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(raw: string, offset: number): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|\w+);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new XmlSyntaxError('a bare "&" in text', offset);
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const named = ENTITY[body];
    if (named === undefined) throw new XmlSyntaxError(`unknown entity ${match}`, offset);
    return named;
  });
}

export function parseXml(input: string): XmlDocument {
  let pos = input.charCodeAt(0) === 0xfeff ? 1 : 0;
  const instructions: XmlDocument['instructions'] = [];

  const skipSpace = () => {
    while (pos < input.length && /\s/.test(input[pos]!)) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(input);
    if (!m) throw new XmlSyntaxError('a name was expected', pos);
    pos += m[0].length;
    return m[0];
  };
  const skipMisc = (inProlog: boolean) => {
    for (;;) {
      skipSpace();
      if (input.startsWith('<!--', pos)) {
        const end = input.indexOf('-->', pos + 4);
        if (end < 0) throw new XmlSyntaxError('unclosed comment', pos);
        pos = end + 3;
      } else if (input.startsWith('<?', pos)) {
        const end = input.indexOf('?>', pos + 2);
        if (end < 0) throw new XmlSyntaxError('unclosed processing instruction', pos);
        const body = input.slice(pos + 2, end);
        const target = /^\S+/.exec(body)?.[0] ?? '';
        if (inProlog && target.toLowerCase() !== 'xml') instructions.push({ target, data: body.slice(target.length).trim() });
        pos = end + 2;
      } else if (inProlog && input.startsWith('<!DOCTYPE', pos)) {
        throw new XmlSyntaxError('DOCTYPE is not accepted', pos);
      } else {
        return;
      }
    }
  };

  const readElement = (scope: Record<string, string>): XmlElement => {
    const start = pos;
    if (input[pos] !== '<') throw new XmlSyntaxError('an element was expected', pos);
    pos++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (input.startsWith('/>', pos) || input[pos] === '>') break;
      if (pos === before) throw new XmlSyntaxError(`malformed attributes on <${name}>`, pos);
      const attr = readName();
      skipSpace();
      if (input[pos] !== '=') throw new XmlSyntaxError(`attribute ${attr} has no value`, pos);
      pos++;
      skipSpace();
      const quote = input[pos];
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`attribute ${attr} is not quoted`, pos);
      const end = input.indexOf(quote, pos + 1);
      if (end < 0) throw new XmlSyntaxError(`unclosed attribute ${attr}`, pos);
      if (attr in attributes) throw new XmlSyntaxError(`attribute ${attr} appears twice`, pos);
      const raw = input.slice(pos + 1, end);
      if (raw.includes('<')) throw new XmlSyntaxError(`"<" in attribute ${attr}`, pos);
      attributes[attr] = decodeEntities(raw, pos);
      pos = end + 1;
    }
    const ownScope = { ...scope };
    for (const [attr, value] of Object.entries(attributes)) {
      if (attr === 'xmlns') ownScope[''] = value;
      else if (attr.startsWith('xmlns:')) ownScope[attr.slice(6)] = value;
    }
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const namespace = ownScope[prefix];
    if (prefix !== '' && namespace === undefined) throw new XmlSyntaxError(`undeclared prefix ${prefix}`, start);
    const element: XmlElement = { name, local: colon < 0 ? name : name.slice(colon + 1), namespace: namespace ?? '', attributes, children: [], text: '' };
    if (input.startsWith('/>', pos)) {
      pos += 2;
      return element;
    }
    pos++; // '>'
    let text = '';
    for (;;) {
      if (pos >= input.length) throw new XmlSyntaxError(`<${name}> is not closed`, start);
      if (input.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) throw new XmlSyntaxError(`</${closing}> closes <${name}>`, pos);
        skipSpace();
        if (input[pos] !== '>') throw new XmlSyntaxError(`malformed </${closing}>`, pos);
        pos++;
        break;
      }
      if (input.startsWith('<!--', pos)) {
        const end = input.indexOf('-->', pos + 4);
        if (end < 0) throw new XmlSyntaxError('unclosed comment', pos);
        pos = end + 3;
      } else if (input.startsWith('<![CDATA[', pos)) {
        const end = input.indexOf(']]>', pos + 9);
        if (end < 0) throw new XmlSyntaxError('unclosed CDATA section', pos);
        text += input.slice(pos + 9, end);
        pos = end + 3;
      } else if (input.startsWith('<?', pos)) {
        const end = input.indexOf('?>', pos + 2);
        if (end < 0) throw new XmlSyntaxError('unclosed processing instruction', pos);
        pos = end + 2;
      } else if (input[pos] === '<') {
        element.children.push(readElement(ownScope));
      } else {
        const next = input.indexOf('<', pos);
        const end = next < 0 ? input.length : next;
        text += decodeEntities(input.slice(pos, end), pos);
        pos = end;
      }
    }
    if (element.children.length > 0 && text.trim() !== '') throw new XmlSyntaxError(`<${name}> mixes text and elements`, start);
    element.text = element.children.length > 0 ? '' : text;
    return element;
  };

  skipMisc(true);
  if (pos >= input.length) throw new XmlSyntaxError('the document is empty', pos);
  const root = readElement({ xml: 'http://www.w3.org/XML/1998/namespace' });
  skipMisc(false);
  if (pos < input.length) throw new XmlSyntaxError('content after the root element', pos);
  return { root, instructions };
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

/** What `xml()` writes: an element with attributes and either text or children. */
export interface XmlNode {
  name: string;
  attributes?: Record<string, string | undefined>;
  text?: string;
  children?: (XmlNode | null | undefined | false)[];
}

export function writeXml(node: XmlNode): string {
  const attrs = Object.entries(node.attributes ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const children = (node.children ?? []).filter((c): c is XmlNode => Boolean(c));
  if (children.length === 0) {
    return node.text === undefined ? `<${node.name}${attrs} />` : `<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`;
  }
  return `<${node.name}${attrs}>${children.map(writeXml).join('')}</${node.name}>`;
}

/** `<name>text</name>` or nothing when the value is absent. */
export function leaf(name: string, value: string | number | boolean | undefined | null): XmlNode | null {
  return value === undefined || value === null ? null : { name, text: String(value) };
}

export function childNamed(element: XmlElement, local: string): XmlElement | undefined {
  return element.children.find((c) => c.local === local);
}

export function childrenNamed(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((c) => c.local === local);
}

export function childText(element: XmlElement, local: string): string | undefined {
  return childNamed(element, local)?.text;
}
