import { createRule } from '../create-rule.js';

/** paramiko policies that accept a host key never seen before. */
const ACCEPTING_POLICIES = new Set([
  'paramiko.AutoAddPolicy',
  'paramiko.WarningPolicy',
  'paramiko.client.AutoAddPolicy',
  'paramiko.client.WarningPolicy',
]);

export default createRule({
  id: 'ssh-host-key-not-verified',
  meta: {
    title: 'SSH host key accepted without verification',
    category: 'network',
    cwe: [295, 322],
    severity: 'high',
    confidence: 'high',
    equivalents: { bandit: ['B507'], ruff: ['S507'] },
    messages: {
      acceptsUnknownHost:
        '`{{policy}}` accepts any unknown host key, so a machine in the network path can impersonate the server and capture the login',
    },
    docs: {
      why: 'SSH authenticates the server by its host key. A policy that accepts keys it has never seen (`AutoAddPolicy` stores them, `WarningPolicy` only logs) lets anyone who can intercept the connection present their own key, receive the password or agent-forwarded credentials and relay or alter the session.',
      example:
        'import paramiko\n\nclient = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())\nclient.connect("build.example.com", username="deploy", password=password)',
      fix: 'Load the known host keys and keep the default `RejectPolicy`; distribute the expected keys with your configuration.\n\n```python\nimport paramiko\n\nclient = paramiko.SSHClient()\nclient.load_system_host_keys()\nclient.load_host_keys("/etc/myapp/known_hosts")\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())\nclient.connect("build.example.com", username="deploy", password=password)\n```',
      knownProblems:
        'No fix is offered: switching to `RejectPolicy` makes connections fail until the host keys are provided. Policies are recognised when passed directly (as a class or an instance) to `set_missing_host_key_policy`.',
      references: [
        'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.set_missing_host_key_policy',
        'https://cwe.mitre.org/data/definitions/322.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'set_missing_host_key_policy') return;
      const argument = context.argument(node, 0, 'policy');
      const policyNode = argument?.type === 'call' ? argument.childForFieldName('function') : argument;
      const policy = context.qualifiedName(policyNode);
      if (policy && ACCEPTING_POLICIES.has(policy))
        context.report({ node, messageId: 'acceptsUnknownHost', data: { policy } });
    },
  },
  tests: {
    valid: [
      'import paramiko\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())',
      'import paramiko\nclient = paramiko.SSHClient()\nclient.load_system_host_keys()',
      'class AutoAddPolicy:\n    pass\nclient.set_missing_host_key_policy(AutoAddPolicy())',
      'import paramiko\nclient.set_missing_host_key_policy(PinnedKeyPolicy(expected))',
    ],
    invalid: [
      {
        code: 'import paramiko\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())',
        errors: [{ messageId: 'acceptsUnknownHost', line: 2, message: '`paramiko.AutoAddPolicy`' }],
      },
      {
        code: 'from paramiko import WarningPolicy\nssh.set_missing_host_key_policy(WarningPolicy)',
        errors: [{ messageId: 'acceptsUnknownHost', message: 'WarningPolicy' }],
      },
      {
        code: 'from paramiko.client import AutoAddPolicy as Trust\nssh.set_missing_host_key_policy(policy=Trust())',
        errors: [{ messageId: 'acceptsUnknownHost' }],
      },
    ],
  },
});
