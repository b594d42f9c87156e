/**
 * Jest evaluates every module again for each test file, but a native addon is loaded once
 * per process. Tree-sitter's JavaScript wrapper patches its native classes when evaluated
 * (`Tree.prototype.rootNode` becomes a getter that calls the native one); evaluated a second
 * time it wraps its own getter and every `tree.rootNode` is undefined. Loading tree-sitter
 * here, through Node's module cache, evaluates the wrapper once per worker; the mapped
 * modules in test/support hand that one instance to every test file.
 */
const { TestEnvironment } = require('jest-environment-node');
const treeSitter = require('tree-sitter');
const python = require('tree-sitter-python');

class TreeSitterEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    this.global.__wardenTreeSitter = { treeSitter, python };
  }
}

module.exports = TreeSitterEnvironment;
