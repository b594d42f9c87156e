/**
 * A pattern that matches wherever one of `literals` occurs in a text: one pass over the text for
 * all of them, where searching for each in turn costs a pass apiece.
 */
export function anyOfLiterals(literals: Iterable<string>, flags = ''): RegExp {
  return new RegExp([...literals].map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), flags);
}
