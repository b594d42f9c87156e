import { describe, expect, it } from '@jest/globals';
import { SECRET_FORMATS } from '../../src/rules/data/secret-formats.js';

const repeat = (alphabet: string, length: number) =>
  Array.from({ length }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('');
const ALNUM = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8';

/** One key of each provider's documented shape, as it would sit in a file. */
const SHAPED_KEYS: Record<string, string> = {
  'GitHub token': `gho_${repeat(ALNUM, 36)}`,
  'GitHub fine-grained token': `github_pat_${repeat(`${ALNUM}_`, 82)}`,
  'GitLab access token': `glpat-${repeat(ALNUM, 20)}`,
  'Slack token': `xoxb-123456789012-${repeat(ALNUM, 24)}`,
  'Slack webhook URL': `https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/${repeat(ALNUM, 24)}`,
  'Discord webhook URL': `https://discordapp.com/api/webhooks/123456789012345678/${repeat(ALNUM, 68)}`,
  'Microsoft Teams webhook URL': `https://contoso.webhook.office.com/webhookb2/${repeat(ALNUM, 36)}@${repeat(ALNUM, 36)}/IncomingWebhook/${repeat(ALNUM, 32)}/${repeat(ALNUM, 36)}`,
  'Google API key': `AIza${repeat(ALNUM, 35)}`,
  'Stripe live secret key': `rk_live_${repeat(ALNUM, 24)}`,
  'OpenAI API key': `sk-proj-${repeat(ALNUM, 20)}T3BlbkFJ${repeat(ALNUM, 20)}`,
  'Anthropic API key': `sk-ant-api03-${repeat(ALNUM, 93)}`,
  'SendGrid API key': `SG.${repeat(ALNUM, 22)}.${repeat(ALNUM, 43)}`,
  'npm access token': `npm_${repeat(ALNUM, 36)}`,
  'PyPI API token': `pypi-AgEIcHlwaS5vcmc${repeat(ALNUM, 60)}`,
  'Telegram bot token': `1234567890:AA${repeat(ALNUM, 33)}`,
};

describe('SECRET_FORMATS', () => {
  it('has a shaped key here for every provider', () => {
    expect(Object.keys(SHAPED_KEYS).sort()).toEqual(SECRET_FORMATS.map((format) => format.provider).sort());
  });

  // hardcoded-secret only runs a provider's pattern over a file that holds one of its markers.
  it.each(SECRET_FORMATS.map((format) => [format.provider, format] as const))(
    'matches a %s, which holds one of its markers',
    (provider, { pattern, markers }) => {
      const line = `KEY = "${SHAPED_KEYS[provider]}"`;
      expect(pattern.exec(line)?.[1]).toBe(SHAPED_KEYS[provider]);
      expect(markers.some((marker) => line.includes(marker))).toBe(true);
    },
  );
});
