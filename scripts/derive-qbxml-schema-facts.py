#!/usr/bin/env python3
"""Derives emulators/qbd/schema-facts.json from Intuit's published qbXML 16.0 XSDs.

Why: qbXML is order-sensitive and length-limited, and QuickBooks Desktop refuses what the schema refuses. The
QBD company emulator must check requests against Intuit's own schema, not our memory of it. The XSDs are Intuit's
files and are not committed; this script reads them from a local mirror and writes only derived facts: for each
request we send and response we read, the element content model (order, minOccurs/maxOccurs, choices), the
attributes, and every reachable element's simple type (base type, xsd:maxLength, enumerations, pattern).

Usage: python3 scripts/derive-qbxml-schema-facts.py <git dir of jsgoupil/quickbooks-sync> [ref] > emulators/qbd/schema-facts.json
The XSDs live on that repository's branch `qbxml16` (src/QbXml/Schemas/, vendored from the QuickBooks SDK 16.0
validator). Standard library only.
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

XS = '{http://www.w3.org/2001/XMLSchema}'
REPO = 'jsgoupil/quickbooks-sync'
DIR = 'src/QbXml/Schemas'
FILES = ['qbxmltypes160.xsd', 'qbxml160.xsd', 'qbxmlops160.xsd']
# Requests ledgerbridge sends (or may send) to QuickBooks Desktop, and their responses.
MESSAGES = ['HostQuery', 'CompanyQuery', 'PreferencesQuery', 'CustomerQuery', 'CustomerAdd', 'ItemQuery',
            'SalesTaxCodeQuery', 'ItemSalesTaxQuery', 'SalesReceiptQuery', 'SalesReceiptAdd', 'CreditMemoQuery', 'CreditMemoAdd',
            'ARRefundCreditCardQuery', 'ARRefundCreditCardAdd', 'AccountQuery', 'DepositQuery', 'DepositAdd',
            'CurrencyQuery', 'CustomerMod', 'ItemServiceMod', 'ItemNonInventoryMod', 'ItemInventoryMod']


def git(gitdir, *args):
    return subprocess.run(['git', '--git-dir', gitdir, *args], check=True, capture_output=True, text=True).stdout


def occurs(node):
    lo = int(node.get('minOccurs', '1'))
    hi = node.get('maxOccurs', '1')
    return lo, (None if hi == 'unbounded' else int(hi))


class Schema:
    def __init__(self, roots):
        self.elements, self.groups, self.complex_types, self.simple_types = {}, {}, {}, {}
        for root in roots:
            for node in root:
                name = node.get('name')
                if node.tag == f'{XS}element':
                    self.elements[name] = node
                elif node.tag == f'{XS}group':
                    self.groups[name] = node
                elif node.tag == f'{XS}complexType':
                    self.complex_types[name] = node
                elif node.tag == f'{XS}simpleType':
                    self.simple_types[name] = node
        self.reachable = set()

    def simple(self, node):
        """A simple type (named or inline) as {base, maxLength?, enumeration?, pattern?}, resolved to a qbXML base type."""
        if node.tag == f'{XS}simpleType':
            restriction = node.find(f'{XS}restriction')
            if restriction is None:  # a union (BOOLTYPE, DATETYPE …): a base type in its own right
                return {'base': node.get('name')}
            base = restriction.get('base')
            facts = dict(self.simple_type(base))
        else:
            raise ValueError(node.tag)
        for facet in restriction:
            tag = facet.tag.replace(XS, '')
            if tag == 'maxLength':
                facts['maxLength'] = int(facet.get('value'))
            elif tag == 'enumeration':
                facts.setdefault('enumeration', []).append(facet.get('value'))
            elif tag == 'pattern':
                facts['pattern'] = facet.get('value')
        return facts

    def simple_type(self, name):
        if name.startswith('xsd:'):
            return {'base': name}
        node = self.simple_types.get(name)
        if node is None:
            raise KeyError(name)
        if node.get('name') in BASE_TYPES:
            return {'base': name}
        return self.simple(node)

    def attributes(self, node):
        out = []
        for attr in node.findall(f'{XS}attribute'):
            fact = {'name': attr.get('name'), 'required': attr.get('use') == 'required'}
            if attr.get('type'):
                fact['type'] = self.simple_type(attr.get('type'))
            elif attr.find(f'{XS}simpleType') is not None:
                fact['type'] = self.simple(attr.find(f'{XS}simpleType'))
            if attr.get('default') is not None:
                fact['default'] = attr.get('default')
            out.append(fact)
        return out

    def complex(self, ct):
        """A complex type as {content?, text?, attributes}."""
        out = {}
        simple_content = ct.find(f'{XS}simpleContent')
        if simple_content is not None:
            ext = simple_content.find(f'{XS}extension')
            out['text'] = self.simple_type(ext.get('base'))
            out['attributes'] = self.attributes(ext)
            return out
        for child in ct:
            tag = child.tag.replace(XS, '')
            if tag in ('sequence', 'choice', 'group'):
                out['content'] = self.particle(child)
        out['attributes'] = self.attributes(ct)
        return out

    def declaration(self, el):
        if el.get('type'):
            t = el.get('type')
            if t in self.complex_types:
                return self.complex(self.complex_types[t])
            return {'text': self.simple_type(t), 'attributes': []}
        ct = el.find(f'{XS}complexType')
        if ct is not None:
            return self.complex(ct)
        st = el.find(f'{XS}simpleType')
        if st is not None:
            return {'text': self.simple(st), 'attributes': []}
        return {'text': {'base': 'xsd:anyType'}, 'attributes': []}

    def particle(self, node):
        lo, hi = occurs(node)
        tag = node.tag.replace(XS, '')
        if tag == 'element':
            if node.get('ref'):
                self.reach(node.get('ref'))
                return {'element': node.get('ref'), 'ref': True, 'minOccurs': lo, 'maxOccurs': hi}
            return {'element': node.get('name'), 'minOccurs': lo, 'maxOccurs': hi, 'declaration': self.declaration(node)}
        if tag == 'group':
            group = self.groups[node.get('ref')]
            inner = [c for c in group if c.tag in (f'{XS}sequence', f'{XS}choice')][0]
            p = self.particle(inner)
            if (lo, hi) != (1, 1):  # occurrences on the reference wrap the group's own
                p = {'sequence': [p], 'minOccurs': lo, 'maxOccurs': hi}
            p['group'] = node.get('ref')
            return p
        if tag in ('sequence', 'choice'):
            items = [self.particle(c) for c in node if c.tag in (f'{XS}element', f'{XS}group', f'{XS}sequence', f'{XS}choice')]
            return {tag: items, 'minOccurs': lo, 'maxOccurs': hi}
        raise ValueError(tag)

    def reach(self, name):
        if name in self.reachable:
            return
        self.reachable.add(name)
        self.global_decls[name] = self.declaration(self.elements[name])


BASE_TYPES = set()


def main():
    gitdir = sys.argv[1]
    ref = sys.argv[2] if len(sys.argv) > 2 else 'qbxml16'
    commit = git(gitdir, 'rev-parse', ref).strip()
    roots = [ET.fromstring(git(gitdir, 'show', f'{commit}:{DIR}/{f}')) for f in FILES]
    types_root = roots[0]
    for st in types_root.findall(f'{XS}simpleType'):
        BASE_TYPES.add(st.get('name'))
    schema = Schema(roots)
    schema.global_decls = {}

    base_types = {}
    for st in types_root.findall(f'{XS}simpleType'):
        r = st.find(f'{XS}restriction')
        fact = {'base': r.get('base') if r is not None else 'union'}
        if r is not None:
            for facet in r:
                tag = facet.tag.replace(XS, '')
                if tag == 'maxLength':
                    fact['maxLength'] = int(facet.get('value'))
                elif tag == 'pattern':
                    fact['pattern'] = facet.get('value')
        else:
            fact['unionOf'] = []
            for member in st.iter(f'{XS}restriction'):
                part = {'base': member.get('base')}
                for facet in member:
                    tag = facet.tag.replace(XS, '')
                    if tag in ('pattern', 'enumeration'):
                        part.setdefault(tag, []).append(facet.get('value'))
                fact['unionOf'].append(part)
        base_types[st.get('name')] = fact

    msgs_rq = schema.declaration(schema.elements['QBXMLMsgsRq'])
    msgs_rs = schema.declaration(schema.elements['QBXMLMsgsRs'])
    rq_names = [p['element'] for p in msgs_rq['content']['choice']]
    rs_names = [p['element'] for p in msgs_rs['content']['choice']]
    requests, responses = {}, {}
    for m in MESSAGES:
        for suffix, table, known in (('Rq', requests, rq_names), ('Rs', responses, rs_names)):
            name = m + suffix
            if name not in known:
                raise SystemExit(f'{name} is not in the message set')
            table[name] = schema.complex(schema.complex_types[f'{name}Type'])

    facts = {
        'source': {
            'repository': REPO,
            'ref': ref,
            'commit': commit,
            'paths': [f'{DIR}/{f}' for f in FILES],
            'qbxmlVersion': '16.0',
            'derivedBy': 'scripts/derive-qbxml-schema-facts.py',
        },
        'notes': [
            'Derived facts only; the XSD files are Intuit\'s (QuickBooks SDK 16.0 validator) and are not committed.',
            'Content models keep the XSD\'s order: qbXML elements must come in schema order.',
            'maxOccurs null means unbounded. A particle with "ref": true uses the global element of that name (see elements); others carry their own declaration.',
            'maxLength is the XSD facet (QuickBooks answers an over-long string with status 3070, not a parse error).',
        ],
        'baseTypes': base_types,
        'messageSet': {
            'QBXMLMsgsRq': {'attributes': msgs_rq['attributes'], 'requests': rq_names},
            'QBXMLMsgsRs': {'attributes': msgs_rs['attributes']},
        },
        'requests': requests,
        'responses': responses,
        'elements': {k: schema.global_decls[k] for k in sorted(schema.global_decls)},
    }
    # One line per request, response and element: small, and a regenerated file diffs by element.
    out = ['{']
    keys = list(facts)
    for i, key in enumerate(keys):
        value = facts[key]
        end = ',' if i < len(keys) - 1 else ''
        if key in ('requests', 'responses', 'elements', 'baseTypes'):
            rows = [f' {json.dumps(k)}: {json.dumps(v, separators=(",", ":"))}' for k, v in value.items()]
            out.append(f' {json.dumps(key)}: {{\n' + ',\n'.join(' ' + r for r in rows) + f'\n }}{end}')
        else:
            out.append(f' {json.dumps(key)}: {json.dumps(value, separators=(",", ":"))}{end}')
    out.append('}')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
