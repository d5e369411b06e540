import { describe, expect, it } from 'vitest';
import { parseSoapCall, parseSoapResult, soapResult, SoapRequestError } from '../platforms/qbd/soap-envelope.js';
import { qbxmlRequestSet, QbxmlResponseError, readQbxmlResponses } from '../platforms/qbd/qbxml-envelope.js';
import { parseXml, writeXml, XmlSyntaxError } from '../platforms/qbd/xml-tree.js';

/** The XML reader the QBWC endpoint and the qbXML emulator share: strict, entity-aware, namespace-aware. */
describe('XML reader and writer', () => {
  it('reads processing instructions, attributes, entities, character references and CDATA', () => {
    const doc = parseXml(
      '\ufeff<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="16.0"?>\n<!-- c --><QBXML><Memo a="x &amp; &quot;y&quot;">Fish &amp; Chips &#x263A; &#65;<![CDATA[<raw> & ]]></Memo></QBXML>',
    );
    expect(doc.instructions).toEqual([{ target: 'qbxml', data: 'version="16.0"' }]);
    const memo = doc.root.children[0]!;
    expect(memo.attributes.a).toBe('x & "y"');
    expect(memo.text).toBe('Fish & Chips \u263A A<raw> & ');
  });

  it('refuses what is not well-formed', () => {
    for (const bad of ['', '<a>', '<a></b>', '<a>x &bogus; y</a>', '<a>1 & 2</a>', '<a><b/>text</a>', '<a/><b/>', '<a x="1" x="2"/>', '<p:a/>', '<!DOCTYPE a><a/>']) {
      expect(() => parseXml(bad), bad).toThrow(XmlSyntaxError);
    }
  });

  it('writes text escaped, so what it writes reads back the same', () => {
    const written = writeXml({ name: 'Memo', attributes: { note: 'a "b" <c>' }, children: [{ name: 'Desc', text: 'Tom & Jerry <3' }] });
    const back = parseXml(written).root;
    expect(back.attributes.note).toBe('a "b" <c>');
    expect(back.children[0]!.text).toBe('Tom & Jerry <3');
  });
});

describe('QBWC SOAP envelopes', () => {
  const call = (inner: string, ns = 'http://developer.intuit.com/') =>
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><authenticate xmlns="${ns}">${inner}</authenticate></soap:Body></soap:Envelope>`;

  it('reads a method call and its parameters, whatever the prefix', () => {
    expect(parseSoapCall(call('<strUserName>u</strUserName><strPassword>p&amp;w</strPassword>'))).toEqual({ method: 'authenticate', params: { strUserName: 'u', strPassword: 'p&w' } });
    const other = `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><i:closeConnection xmlns:i="http://developer.intuit.com/"><i:ticket>t</i:ticket></i:closeConnection></e:Body></e:Envelope>`;
    expect(parseSoapCall(other)).toEqual({ method: 'closeConnection', params: { ticket: 't' } });
  });

  it('refuses a call outside the QBWC namespace or outside a SOAP 1.1 envelope', () => {
    expect(() => parseSoapCall(call('', 'http://example.com/'))).toThrow(SoapRequestError);
    expect(() => parseSoapCall('<Envelope><Body><authenticate/></Body></Envelope>')).toThrow(SoapRequestError);
    expect(() => parseSoapCall('not xml')).toThrow(SoapRequestError);
  });

  it('writes results QBWC reads: text, numbers and string arrays', () => {
    expect(parseSoapResult(soapResult('authenticate', ['t-1', 'none']), 'authenticate').strings).toEqual(['t-1', 'none']);
    expect(parseSoapResult(soapResult('receiveResponseXML', 100), 'receiveResponseXML').text).toBe('100');
    expect(parseSoapResult(soapResult('sendRequestXML', '<?qbxml version="16.0"?><QBXML/>'), 'sendRequestXML').text).toBe('<?qbxml version="16.0"?><QBXML/>');
  });
});

describe('qbXML envelopes', () => {
  it('writes a request set with its version instruction and onError', () => {
    const doc = parseXml(qbxmlRequestSet([{ name: 'CustomerQueryRq', attributes: { requestID: '1' }, children: [{ name: 'FullName', text: 'Jane & Co' }] }]));
    expect(doc.instructions).toEqual([{ target: 'qbxml', data: 'version="16.0"' }]);
    expect(doc.root.children[0]!.attributes).toEqual({ onError: 'stopOnError' });
    expect(doc.root.children[0]!.children[0]!.children[0]!.text).toBe('Jane & Co');
  });

  it('reads each response with its status, and refuses what is not a response set', () => {
    const rs = readQbxmlResponses(
      '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="1" statusCode="500" statusSeverity="Warn" statusMessage="not found" /><CustomerAddRs statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CustomerRet><ListID>80000001-1</ListID></CustomerRet></CustomerAddRs></QBXMLMsgsRs></QBXML>',
    );
    expect(rs.map((r) => [r.request, r.requestID, r.statusCode, r.statusSeverity, r.rets.map((e) => e.local)])).toEqual([
      ['CustomerQuery', '1', 500, 'Warn', []],
      ['CustomerAdd', undefined, 0, 'Info', ['CustomerRet']],
    ]);
    expect(() => readQbxmlResponses('<QBXML><QBXMLMsgsRq onError="stopOnError" /></QBXML>')).toThrow(QbxmlResponseError);
    expect(() => readQbxmlResponses('<QBXML><QBXMLMsgsRs><CustomerQueryRs /></QBXMLMsgsRs></QBXML>')).toThrow(QbxmlResponseError);
  });
});
