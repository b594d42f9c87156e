import { describe, expect, it } from '@jest/globals';
import { hasNameWord, isCredentialName, nameWords } from '../../src/rules/support/secrets-names.js';

describe('nameWords', () => {
  it.each([
    ['db_password', ['db', 'password']],
    ['__secret__', ['secret']],
    ['api_key2', ['api', 'key2']],
    ['hashedPassword', ['hashed', 'password']],
    ['DB_PASSWORD', ['db', 'password']],
    ['HTTPAuthToken', ['http', 'auth', 'token']],
    ['pass-phrase', ['pass', 'phrase']],
    ['_', []],
  ])('splits %s into its lower-case words', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});

describe('isCredentialName', () => {
  it.each([
    'password',
    'DB_PASSWORD',
    'user_pwd',
    'passPhrase',
    'clientSecret',
    'apiKey',
    'APIKEY',
    'auth_token',
    'PASS',
  ])('takes %s for a credential', (name) => expect(isCredentialName(name)).toBe(true));

  // `monkey` and `keyboard` get past the letters check and are turned down by their words.
  it.each(['password_field', 'token_url', 'PASSWORD_ENV', 'monkey', 'keyboard', 'user_name', 'Passenger', 'x'])(
    'does not take %s for one',
    (name) => expect(isCredentialName(name)).toBe(false),
  );
});

describe('hasNameWord', () => {
  const HOST_WORDS = new Set(['host', 'addr', 'address']);

  it.each([
    ['listen_host', true],
    ['bindAddress', true],
    ['SERVER_ADDR', true],
    ['ghost', false], // holds `host` as text, but not as a word
    ['hostname', false],
    ['port', false],
  ])('%s has a host word: %s', (name, expected) => {
    expect(hasNameWord(name, HOST_WORDS)).toBe(expected);
  });
});
