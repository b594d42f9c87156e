/**
 * A queue processor from a body that does its work at once: the queue wants a promise, and a
 * throw in the body becomes its rejection, as it would in an async function.
 */
export function syncProcessor<A extends unknown[]>(body: (...args: A) => void): (...args: A) => Promise<void> {
  return (...args) =>
    new Promise<void>((resolve) => {
      body(...args);
      resolve();
    });
}
