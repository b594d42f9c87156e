import type { AnyRule } from '../engine/rule.js';
import archiveExtractionWithoutFilter from './injection/archive-extraction-without-filter.js';
import assertAccessControl from './authentication/assert-access-control.js';
import bindAllInterfaces from './hardening/bind-all-interfaces.js';
import cipherEcbMode from './crypto/cipher-ecb-mode.js';
import cleartextProtocol from './network/cleartext-protocol.js';
import codeInjection from './injection/code-injection.js';
import debugEnabled from './hardening/debug-enabled.js';
import djangoCsrfExempt from './csrf/django-csrf-exempt.js';
import djangoCsrfMiddlewareMissing from './csrf/django-csrf-middleware-missing.js';
import flaskCsrfDisabled from './csrf/flask-csrf-disabled.js';
import hardcodedSecret from './authentication/hardcoded-secret.js';
import headerInjection from './injection/header-injection.js';
import htmlResponseFromString from './injection/html-response-from-string.js';
import insecureCookie from './hardening/insecure-cookie.js';
import insecureCryptoLibrary from './crypto/insecure-crypto-library.js';
import insecureFilePermissions from './hardening/insecure-file-permissions.js';
import insecureHashFunction from './crypto/insecure-hash-function.js';
import insecureTempFile from './hardening/insecure-temp-file.js';
import insecureTlsVersion from './network/insecure-tls-version.js';
import jinja2AutoescapeFalse from './injection/jinja2-autoescape-false.js';
import jwtDecodeWithoutVerification from './authentication/jwt-decode-without-verification.js';
import ldapInjection from './injection/ldap-injection.js';
import logInjection from './injection/log-injection.js';
import loggingConfigListen from './hardening/logging-config-listen.js';
import makoTemplates from './injection/mako-templates.js';
import nanInjection from './injection/nan-injection.js';
import openRedirect from './injection/open-redirect.js';
import osCommandInjection from './injection/os-command-injection.js';
import osExecSpawn from './injection/os-exec-spawn.js';
import paramikoExecCommand from './injection/paramiko-exec-command.js';
import pathTraversal from './injection/path-traversal.js';
import regexInjection from './injection/regex-injection.js';
import renderTemplateString from './injection/render-template-string.js';
import requestWithoutTimeout from './hardening/request-without-timeout.js';
import snmpInsecure from './network/snmp-insecure.js';
import sqlInjection from './injection/sql-injection.js';
import sshHostKeyNotVerified from './network/ssh-host-key-not-verified.js';
import ssrf from './injection/ssrf.js';
import subprocessPartialPath from './injection/subprocess-partial-path.js';
import subprocessShellTrue from './injection/subprocess-shell-true.js';
import subprocessWithoutShell from './injection/subprocess-without-shell.js';
import templateContextLocals from './hardening/template-context-locals.js';
import tlsVerificationDisabled from './network/tls-verification-disabled.js';
import torchLoadUnsafe from './deserialization/torch-load-unsafe.js';
import tryExceptPass from './hardening/try-except-pass.js';
import unescapedTemplateRender from './injection/unescaped-template-render.js';
import unixWildcardInjection from './injection/unix-wildcard-injection.js';
import unsafeDeserialization from './deserialization/unsafe-deserialization.js';
import unsafeMarkup from './injection/unsafe-markup.js';
import weakCipher from './crypto/weak-cipher.js';
import weakKeySize from './crypto/weak-key-size.js';
import weakPasswordHash from './authentication/weak-password-hash.js';
import weakRandomForSecrets from './randomness/weak-random-for-secrets.js';
import xmlExternalEntities from './xml/xml-external-entities.js';
import xpathInjection from './injection/xpath-injection.js';
import yamlUnsafeLoad from './deserialization/yaml-unsafe-load.js';

/** Every rule, sorted by id. A meta-test checks that this list matches the files under src/rules. */
export const allRules: readonly AnyRule[] = [
  archiveExtractionWithoutFilter,
  assertAccessControl,
  bindAllInterfaces,
  cipherEcbMode,
  cleartextProtocol,
  codeInjection,
  debugEnabled,
  djangoCsrfExempt,
  djangoCsrfMiddlewareMissing,
  flaskCsrfDisabled,
  hardcodedSecret,
  headerInjection,
  htmlResponseFromString,
  insecureCookie,
  insecureCryptoLibrary,
  insecureFilePermissions,
  insecureHashFunction,
  insecureTempFile,
  insecureTlsVersion,
  jinja2AutoescapeFalse,
  jwtDecodeWithoutVerification,
  ldapInjection,
  logInjection,
  loggingConfigListen,
  makoTemplates,
  nanInjection,
  openRedirect,
  osCommandInjection,
  osExecSpawn,
  paramikoExecCommand,
  pathTraversal,
  regexInjection,
  renderTemplateString,
  requestWithoutTimeout,
  snmpInsecure,
  sqlInjection,
  sshHostKeyNotVerified,
  ssrf,
  subprocessPartialPath,
  subprocessShellTrue,
  subprocessWithoutShell,
  templateContextLocals,
  tlsVerificationDisabled,
  torchLoadUnsafe,
  tryExceptPass,
  unescapedTemplateRender,
  unixWildcardInjection,
  unsafeDeserialization,
  unsafeMarkup,
  weakCipher,
  weakKeySize,
  weakPasswordHash,
  weakRandomForSecrets,
  xmlExternalEntities,
  xpathInjection,
  yamlUnsafeLoad,
] as readonly AnyRule[];

export const rulesById: ReadonlyMap<string, AnyRule> = new Map(allRules.map((rule) => [rule.id, rule]));
