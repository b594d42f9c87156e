import type { GitHubClient, RepoRef } from './client.js';

/** Blobs read per GraphQL query: a 100-file PR costs one query; GraphQL gives up after 10 s. */
export const BLOBS_PER_QUERY = 100;

/** One file at one commit. */
export interface BlobRequest {
  sha: string;
  path: string;
}

export type BlobContent =
  | { kind: 'text'; bytes: Uint8Array }
  | { kind: 'binary' }
  | { kind: 'too-large'; byteSize: number }
  | { kind: 'missing' };

interface GraphQlBlob {
  text: string | null;
  isBinary: boolean | null;
  byteSize: number;
  isTruncated: boolean;
}

const encoder = new TextEncoder();

function blobKey(blob: BlobRequest): string {
  return `${blob.sha}:${blob.path}`;
}

function batchQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) => `f${i}: object(expression: $e${i}) { ... on Blob { text isBinary byteSize isTruncated } }`,
  ).join('\n    ');
  return `query($owner: String!, $name: String!, ${variables}) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
}

/**
 * Reads files in bulk through GraphQL aliases, always from the base repository (a fork's commits
 * are reachable there by SHA, its branch names are not). Text GraphQL cut short (512,000 bytes)
 * is fetched again through the REST raw media type. Files over `maxBytes` are not downloaded.
 */
export async function fetchBlobs(
  octokit: GitHubClient,
  repo: RepoRef,
  blobs: readonly BlobRequest[],
  maxBytes: number,
): Promise<Map<string, BlobContent>> {
  const unique = [...new Map(blobs.map((blob) => [blobKey(blob), blob])).values()];
  const contents = new Map<string, BlobContent>();
  const truncated: BlobRequest[] = [];
  for (let start = 0; start < unique.length; start += BLOBS_PER_QUERY) {
    for (const [blob, found] of await queryBlobs(octokit, repo, unique.slice(start, start + BLOBS_PER_QUERY))) {
      const key = blobKey(blob);
      if (!found || found.byteSize === undefined) contents.set(key, { kind: 'missing' });
      else if (found.isBinary) contents.set(key, { kind: 'binary' });
      else if (found.byteSize > maxBytes) contents.set(key, { kind: 'too-large', byteSize: found.byteSize });
      else if (found.isTruncated || found.text === null) truncated.push(blob);
      else contents.set(key, { kind: 'text', bytes: encoder.encode(found.text) });
    }
  }
  for (const blob of truncated)
    contents.set(blobKey(blob), { kind: 'text', bytes: await fetchRawFile(octokit, repo, blob) });
  return contents;
}

/** Below this many blobs a query that timed out is not split any further. */
const SMALLEST_SPLIT = 10;

function isGatewayTimeout(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 502 || status === 504;
}

/**
 * One aliased query for a batch. GitHub gives up on a GraphQL query after 10 s (a 502), which a
 * batch of large files can hit: such a batch is split in halves and each half asked again.
 */
async function queryBlobs(
  octokit: GitHubClient,
  repo: RepoRef,
  batch: readonly BlobRequest[],
): Promise<[BlobRequest, GraphQlBlob | null][]> {
  const variables: Record<string, string> = { owner: repo.owner, name: repo.repo };
  batch.forEach((blob, i) => (variables[`e${i}`] = blobKey(blob)));
  try {
    const result = await octokit.graphql<{ repository: Record<string, GraphQlBlob | null> }>(
      batchQuery(batch.length),
      variables,
    );
    return batch.map((blob, i) => [blob, result.repository[`f${i}`] ?? null]);
  } catch (error) {
    if (!isGatewayTimeout(error) || batch.length < SMALLEST_SPLIT) throw error;
    const middle = Math.ceil(batch.length / 2);
    return [
      ...(await queryBlobs(octokit, repo, batch.slice(0, middle))),
      ...(await queryBlobs(octokit, repo, batch.slice(middle))),
    ];
  }
}

export function blobContent(contents: ReadonlyMap<string, BlobContent>, blob: BlobRequest): BlobContent {
  return contents.get(blobKey(blob)) ?? { kind: 'missing' };
}

/** One file through the REST contents API with the raw media type (works past the 1 MB JSON limit). */
export async function fetchRawFile(octokit: GitHubClient, repo: RepoRef, blob: BlobRequest): Promise<Uint8Array> {
  const response = await octokit.rest.repos.getContent({
    ...repo,
    path: blob.path,
    ref: blob.sha,
    mediaType: { format: 'raw' },
  });
  const data: unknown = response.data;
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new Error(`unexpected response for ${blob.path} at ${blob.sha.slice(0, 7)}: not raw file content`);
}
