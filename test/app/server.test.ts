import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { metricsAddressFrom } from '../../src/app/metrics-listener.js';
import { startWarden } from '../../src/app/server.js';
import { freePort } from '../../dev/app-process.js';
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

describe('/metrics', () => {
  test('is served on its own address, and not on the webhook port', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const warden = await startWarden('all', {
      ...credentials,
      WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
    });
    try {
      const onWebhookPort = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(onWebhookPort.status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('warden_queue_depth 0');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await warden.stop();
    }
  });

  test('defaults to localhost:9464 and refuses a port that is no port', () => {
    expect(metricsAddressFrom({})).toEqual({ host: 'localhost', port: 9464 });
    expect(metricsAddressFrom({ METRICS_HOST: '0.0.0.0', METRICS_PORT: '9100' })).toEqual({
      host: '0.0.0.0',
      port: 9100,
    });
    expect(() => metricsAddressFrom({ METRICS_PORT: '3000x' })).toThrow(/METRICS_PORT must be a port number/);
  });
});
