/** The worker's single tree-sitter-python instance (see tree-sitter-environment.cjs). */
module.exports = globalThis.__wardenTreeSitter.python;
