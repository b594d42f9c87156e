/**
 * Credentials recognisable by their shape alone: each provider documents a prefix and a length
 * for its keys, so a literal of that shape is a key whatever the variable holding it is called.
 * The AWS access key id and private key blocks have messages of their own in `hardcoded-secret`.
 */
export interface SecretFormat {
  /** What the key is, as the message names it. */
  provider: string;
  /** Captures the key itself in group 1. */
  pattern: RegExp;
  /**
   * Literals of which every match holds at least one. A plain text search for them is several
   * times cheaper than running the pattern over a whole file, and few files hold any.
   */
  markers: readonly string[];
}

export const SECRET_FORMATS: readonly SecretFormat[] = [
  {
    provider: 'GitHub token',
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36})\b/,
    markers: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  },
  { provider: 'GitHub fine-grained token', pattern: /\b(github_pat_[A-Za-z0-9_]{82})\b/, markers: ['github_pat_'] },
  { provider: 'GitLab access token', pattern: /\b(glpat-[A-Za-z0-9_-]{20})\b/, markers: ['glpat-'] },
  { provider: 'Slack token', pattern: /\b(xox[abposr]-\d{6,}-[0-9A-Za-z-]{10,})\b/, markers: ['xox'] },
  {
    provider: 'Slack webhook URL',
    pattern: /(https:\/\/hooks\.slack\.com\/(?:services|workflows)\/T[A-Z0-9]{6,}\/[A-Z0-9]{6,}\/[A-Za-z0-9]{16,})/,
    markers: ['https://hooks.slack.com/'],
  },
  {
    provider: 'Discord webhook URL',
    pattern: /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{16,}\/[\w-]{60,})/,
    markers: ['/api/webhooks/'],
  },
  {
    provider: 'Microsoft Teams webhook URL',
    pattern: /(https:\/\/[\w-]+\.webhook\.office\.com\/webhookb2\/[\w@-]{20,}\/IncomingWebhook\/\w{20,}\/[\w-]{20,})/,
    markers: ['.webhook.office.com/webhookb2/'],
  },
  { provider: 'Google API key', pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![\w-])/, markers: ['AIza'] },
  { provider: 'Stripe live secret key', pattern: /\b((?:sk|rk)_live_[0-9A-Za-z]{24,})\b/, markers: ['_live_'] },
  {
    provider: 'OpenAI API key',
    pattern: /\b(sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,})(?![\w-])/,
    markers: ['T3BlbkFJ'],
  },
  {
    provider: 'Anthropic API key',
    pattern: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,})(?![\w-])/,
    markers: ['sk-ant-'],
  },
  { provider: 'SendGrid API key', pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![\w-])/, markers: ['SG.'] },
  { provider: 'npm access token', pattern: /\b(npm_[A-Za-z0-9]{36})\b/, markers: ['npm_'] },
  {
    provider: 'PyPI API token',
    pattern: /\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})(?![\w-])/,
    markers: ['pypi-AgEIcHlwaS5vcmc'],
  },
  { provider: 'Telegram bot token', pattern: /\b(\d{8,10}:AA[0-9A-Za-z_-]{33})(?![\w-])/, markers: [':AA'] },
];

/** Documentation keys and templates that have a provider's shape but are not keys: `ghp_xxxx…`, `…EXAMPLE…`. */
export const FORMAT_PLACEHOLDER = /(.)\1{7,}|example|sample|dummy|your|fake|redacted|placeholder/i;
