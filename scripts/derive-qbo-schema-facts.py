#!/usr/bin/env python3
"""Derives emulators/qbo/schema-facts.json from Intuit's published XSDs.

Why: the QBO emulator's entity checks must follow Intuit's own schema, not our memory of it. The XSDs are not
committed (they are Intuit's files); this script reads them from a local clone and writes only derived facts.

Usage: python3 scripts/derive-qbo-schema-facts.py <git-dir of intuit/QuickBooks-V3-Java-SDK> > emulators/qbo/schema-facts.json
Standard library only.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

XS = '{http://www.w3.org/2001/XMLSchema}'
REPO = 'intuit/QuickBooks-V3-Java-SDK'
XSD_DIR = 'ipp-v3-java-data/src/main/xsd'
FILES = ['IntuitBaseTypes.xsd', 'IntuitNamesTypes.xsd', 'Finance.xsd', 'SalesTax.xsd', 'IntuitRestServiceDef.xsd']
# Entities ledgerbridge sends or reads; their field types are followed transitively.
ROOTS = ['SalesReceipt', 'RefundReceipt', 'Account', 'Line', 'SalesItemLineDetail', 'DiscountLineDetail', 'Customer', 'Item', 'TaxCode', 'TaxRate',
         'CompanyInfo', 'Preferences', 'Fault', 'Error', 'TaxService', 'CompanyCurrency', 'ExchangeRate', 'Deposit', 'DepositLineDetail']
# Types not worth following (large, not sent or read by ledgerbridge).
STOP = {'IntuitAnyType', 'CustomField', 'NameValue', 'Attachable', 'LinkedTxn'}


def git(gitdir, *args):
    return subprocess.run(['git', '--git-dir', gitdir, *args], check=True, capture_output=True, text=True).stdout


def doc_text(node):
    texts = [d.text or '' for d in node.findall(f'{XS}annotation/{XS}documentation')]
    return re.sub(r'\s+', ' ', ' '.join(texts)).strip()


LENGTH_PATTERNS = [
    re.compile(r'max(?:imum)?\.? length(?: for [A-Za-z ]+?)?(?: is|:)\s*(\d+)', re.I),
    re.compile(r'ValidRange:\s*(?:(QBO|QBW):\s*)?max=(\d+)', re.I),
]


def documented_facts(text):
    """Splits the documentation into per-product parts and pulls out lengths, Required and InputType."""
    facts = {}
    product = 'ALL'
    parts = re.split(r'(Product:\s*\w+|Description:\s*(?:QBO|QBW):)', text)
    lengths = []
    for part in parts:
        m = re.match(r'Product:\s*(\w+)|Description:\s*(QBO|QBW):', part)
        if m:
            product = (m.group(1) or m.group(2)).upper()
            continue
        for m in LENGTH_PATTERNS[0].finditer(part):
            lengths.append({'product': product, 'max': int(m.group(1)), 'says': part[max(0, m.start() - 60):m.end() + 40].strip()})
        for m in LENGTH_PATTERNS[1].finditer(part):
            lengths.append({'product': (m.group(1) or product).upper(), 'max': int(m.group(2)), 'says': m.group(0)})
    if lengths:
        facts['documentedLengths'] = lengths
    req = re.findall(r'Required:\s*([A-Za-z, ]+?)(?=\s+[A-Z][a-zA-Z]*:|$)', text)
    if req:
        facts['documentedRequired'] = sorted({r.strip() for r in req})
    inp = re.findall(r'InputType:\s*(?:(QBO|QBW):\s*)?(\w+)', text)
    if inp:
        facts['documentedInputType'] = sorted({(p + ':' if p else '') + v for p, v in inp})
    return facts


def main():
    gitdir = sys.argv[1]
    commit = git(gitdir, 'rev-parse', 'HEAD').strip()
    complex_types, simple_types = {}, {}
    for f in FILES:
        root = ET.fromstring(git(gitdir, 'show', f'{commit}:{XSD_DIR}/{f}'))
        for ct in root.findall(f'{XS}complexType'):
            complex_types[ct.get('name')] = (f, ct)
        for st in root.findall(f'{XS}simpleType'):
            simple_types[st.get('name')] = (f, st)

    def strip(t):
        return t.split(':')[-1] if t and not t.startswith('xs:') else t

    def fields_of(node, declared_in, choice=None):
        out = []
        for child in node:
            tag = child.tag.replace(XS, '')
            if tag in ('sequence', 'all'):
                out += fields_of(child, declared_in, choice)
            elif tag == 'choice':
                group = f'{declared_in}.choice{sum(1 for _ in out)}'
                out += fields_of(child, declared_in, group)
            elif tag == 'element':
                f = {'name': child.get('name') or child.get('ref'), 'type': strip(child.get('type') or child.get('ref')),
                     'minOccurs': int(child.get('minOccurs', '1')), 'maxOccurs': child.get('maxOccurs', '1'),
                     'declaredIn': declared_in}
                if choice:
                    f['choiceGroup'] = choice
                f.update(documented_facts(doc_text(child)))
                out.append(f)
            elif tag == 'attribute':
                f = {'name': child.get('name'), 'type': strip(child.get('type')), 'xmlAttribute': True,
                     'minOccurs': 1 if child.get('use') == 'required' else 0, 'maxOccurs': '1', 'declaredIn': declared_in}
                f.update(documented_facts(doc_text(child)))
                out.append(f)
        return out

    def describe_complex(name):
        f, ct = complex_types[name]
        result = {'file': f'{XSD_DIR}/{f}', 'abstract': ct.get('abstract') == 'true'}
        chain, fields = [], []
        node, current = ct, name
        while True:
            ext = node.find(f'{XS}complexContent/{XS}extension')
            simple = node.find(f'{XS}simpleContent/{XS}extension')
            if simple is not None:
                result['simpleContentBase'] = strip(simple.get('base'))
                fields = fields_of(simple, current) + fields
                break
            if ext is None:
                fields = fields_of(node, current) + fields
                break
            fields = fields_of(ext, current) + fields
            base = strip(ext.get('base'))
            chain.append(base)
            _, node = complex_types[base]
            current = base
        result['extends'] = chain
        # maxLength facets: Intuit's XSDs declare strings as plain xs:string; record it explicitly per field.
        for field in fields:
            field['maxLengthFacet'] = None
        result['fields'] = fields
        return result

    def describe_simple(name):
        f, st = simple_types[name]
        r = st.find(f'{XS}restriction')
        out = {'file': f'{XSD_DIR}/{f}'}
        if r is not None:
            out['base'] = strip(r.get('base'))
            enum = [e.get('value') for e in r.findall(f'{XS}enumeration')]
            if enum:
                out['enumeration'] = enum
            for facet in ('maxLength', 'minLength', 'length', 'pattern', 'totalDigits', 'fractionDigits', 'minInclusive', 'maxInclusive'):
                e = r.find(f'{XS}{facet}')
                if e is not None:
                    out[facet] = e.get('value')
        return out

    types, simples, queue = {}, {}, list(ROOTS)
    while queue:
        name = queue.pop(0)
        if name in types or name in STOP:
            continue
        if name not in complex_types:
            raise SystemExit(f'unknown complex type {name}')
        types[name] = describe_complex(name)
        for field in types[name]['fields']:
            t = field['type']
            if t in complex_types and t not in types and t not in STOP:
                queue.append(t)
            elif t in simple_types and t not in simples:
                simples[t] = describe_simple(t)
        base = types[name].get('simpleContentBase')
        if base in simple_types and base not in simples:
            simples[base] = describe_simple(base)

    print(json.dumps({
        'source': {'repository': REPO, 'commit': commit, 'paths': [f'{XSD_DIR}/{f}' for f in FILES],
                   'derivedBy': 'scripts/derive-qbo-schema-facts.py'},
        'notes': [
            'Derived facts only; the XSD files are Intuit\'s and are not committed.',
            'maxLengthFacet is null for every string: the XSDs declare no xs:maxLength facets. Lengths Intuit states '
            'in the XSD documentation are in documentedLengths, per product (QBO, QBW, ALL).',
            'minOccurs 0 in the XSD does not mean optional in the API: the documentation marks API-required fields '
            'with documentedRequired.',
        ],
        'roots': ROOTS,
        'complexTypes': dict(sorted(types.items())),
        'simpleTypes': dict(sorted(simples.items())),
    }, indent=1, ensure_ascii=False))


if __name__ == '__main__':
    main()
