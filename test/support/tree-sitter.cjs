/** The worker's single tree-sitter instance (see tree-sitter-environment.cjs). */
module.exports = globalThis.__wardenTreeSitter.treeSitter;
