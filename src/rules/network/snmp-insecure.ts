import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';

/** The pysnmp class name at the end of a qualified name, when the name comes from pysnmp. */
function pysnmpClass(call: SyntaxNode, context: RuleContext<string>): string | undefined {
  const fn = context.calleeName(call);
  return fn?.startsWith('pysnmp.') ? fn.slice(fn.lastIndexOf('.') + 1) : undefined;
}

export default createRule({
  id: 'snmp-insecure',
  meta: {
    title: 'SNMP without encryption',
    category: 'network',
    cwe: [319, 327],
    severity: 'medium',
    confidence: 'high',
    equivalents: { bandit: ['B508', 'B509'], ruff: ['S508', 'S509'] },
    messages: {
      community:
        '`CommunityData` uses SNMP v1/v2c: the community string is a cleartext password and the data is not encrypted; use SNMPv3 with `UsmUserData`',
      noPrivacy:
        '`UsmUserData` without a privacy key sends SNMPv3 data unencrypted{{detail}}; pass `authKey` and `privKey`',
    },
    docs: {
      why: 'SNMP v1 and v2c authenticate with a community string sent in clear text with every packet, and encrypt nothing: anyone on the path learns the string and can read (or, with a write community, change) device configuration. SNMPv3 without a privacy key (`noAuthNoPriv` or `authNoPriv`) still sends the data in clear text.',
      example:
        'from pysnmp.hlapi import CommunityData, SnmpEngine, UdpTransportTarget, getCmd\n\niterator = getCmd(SnmpEngine(), CommunityData("public", mpModel=1), UdpTransportTarget(("router", 161)))',
      fix: 'Use SNMPv3 with authentication and privacy (`authPriv`): a user, an authentication key and a privacy key, with SHA and AES protocols.\n\n```python\nfrom pysnmp.hlapi import SnmpEngine, UdpTransportTarget, UsmUserData, getCmd, usmAesCfb128Protocol, usmHMACSHAAuthProtocol\n\nuser = UsmUserData("monitor", auth_key, priv_key, authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)\niterator = getCmd(SnmpEngine(), user, UdpTransportTarget(("router", 161)))\n```',
      knownProblems:
        'Every `CommunityData` from pysnmp is reported, whatever `mpModel` says, since it only selects v1 or v2c. `UsmUserData` is reported when neither a third positional argument nor `privKey` is given; a call that passes `*args` or `**kwargs` is left alone.',
      references: [
        'https://www.rfc-editor.org/rfc/rfc3414',
        'https://pysnmp.readthedocs.io/en/latest/docs/api-reference.html#security-parameters',
        'https://cwe.mitre.org/data/definitions/319.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!context.isModuleImported('pysnmp')) return;
      const name = pysnmpClass(node, context);
      if (name === 'CommunityData') {
        context.report({ node, messageId: 'community' });
        return;
      }
      if (name !== 'UsmUserData' || context.hasUnpackedArguments(node)) return;
      if (context.argument(node, 2, 'privKey')) return;
      const authenticated = context.argument(node, 1, 'authKey') !== undefined;
      context.report({ node, messageId: 'noPrivacy', data: { detail: authenticated ? '' : ' and unauthenticated' } });
    },
  },
  tests: {
    valid: [
      'from pysnmp.hlapi import UsmUserData\nuser = UsmUserData("monitor", auth_key, priv_key)',
      'from pysnmp.hlapi import UsmUserData\nuser = UsmUserData("monitor", authKey=a, privKey=p)',
      'def CommunityData(name):\n    return name\nCommunityData("public")',
      'from pysnmp.hlapi import UsmUserData\nuser = UsmUserData(*credentials)',
    ],
    invalid: [
      {
        code: 'from pysnmp.hlapi import CommunityData\nauth = CommunityData("public", mpModel=0)',
        errors: [{ messageId: 'community', line: 2 }],
      },
      { code: 'from pysnmp.hlapi import *\nauth = CommunityData("private")', errors: [{ messageId: 'community' }] },
      {
        code: 'from pysnmp import hlapi\nuser = hlapi.UsmUserData("monitor")',
        errors: [{ messageId: 'noPrivacy', message: 'unencrypted and unauthenticated' }],
      },
      {
        code: 'from pysnmp.hlapi import UsmUserData\nuser = UsmUserData("monitor", auth_key)',
        errors: [{ messageId: 'noPrivacy', message: 'unencrypted;' }],
      },
    ],
  },
});
