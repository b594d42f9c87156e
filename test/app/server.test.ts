import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { startWarden } from '../../src/app/server.js';
import { webhookSecretProblem } from '../../src/app/secrets.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

const credentials = { APP_ID: '1', PRIVATE_KEY: privateKey, LOG_LEVEL: 'fatal' as const };

describe('the webhook secret', () => {
  test.each([
    ['unset', { NODE_ENV: 'production' }, /^WEBHOOK_SECRET is not set: anyone could/],
    ['unset, without NODE_ENV', {}, /^WEBHOOK_SECRET is not set/],
    [
      'too short',
      { NODE_ENV: 'production', WEBHOOK_SECRET: 'hunter2' },
      /^WEBHOOK_SECRET is shorter than 16 characters/,
    ],
  ])('refuses to start when it is %s', async (_case, env, message) => {
    await expect(startWarden('all', { ...credentials, ...env })).rejects.toThrow(message);
  });

  test('is only optional in explicit development mode', () => {
    expect(webhookSecretProblem({ NODE_ENV: 'development' })).toBeUndefined();
    expect(webhookSecretProblem({ NODE_ENV: 'test' })).toMatch(/set NODE_ENV=development to run without one locally/);
    expect(webhookSecretProblem({ WEBHOOK_SECRET: 'e'.repeat(16) })).toBeUndefined();
  });
});
