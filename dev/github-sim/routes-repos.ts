import type { RepositoryState } from './entities.js';
import { blobSha, isBinary, type Commit } from './git-store.js';
import { ApiError, json, notFound, paginate, type ApiRequest } from './http.js';
import { repositoryJson } from './serialize.js';
import { LIMITS, routeSupport, type Register } from './route-support.js';
import type { SimContext } from './context.js';

/** Repositories, file contents and blobs. */
export function repositoryRoutes(sim: SimContext, on: Register): void {
  const { repoOf } = routeSupport(sim);
  on('GET /repos/{owner}/{repo}', (request) => {
    const repo = repoOf(request);
    return json(repositoryJson(repo, sim.ownerOf(repo), sim.urls));
  });

  on('GET /repos/{owner}/{repo}/contents/{path}', (request) => {
    const repo = repoOf(request);
    const ref = request.query.get('ref') ?? repo.store.defaultBranch;
    const commit = repo.store.resolve(ref);
    if (!commit) throw new ApiError(404, `No commit found for the ref ${ref}`);
    const path = request.params.path.replace(/^\/+|\/+$/g, '');
    const content = commit.files.get(path);
    const fullName = `${repo.store.owner}/${repo.store.name}`;
    const accept = String(request.headers.accept ?? '');
    const wantsRaw = /application\/vnd\.github(\.v3)?\.raw/.test(accept);
    if (!content) {
      const prefix = `${path}/`;
      const children = new Map<string, 'file' | 'dir'>();
      for (const filePath of commit.files.keys()) {
        if (!filePath.startsWith(prefix)) continue;
        const rest = filePath.slice(prefix.length);
        const [name] = rest.split('/');
        children.set(name, rest.includes('/') ? 'dir' : 'file');
      }
      if (children.size === 0) throw notFound();
      // A directory listing is JSON whatever media type was asked for.
      return json(
        [...children.entries()].sort().map(([name, type]) => ({
          type,
          name,
          path: `${prefix}${name}`,
          sha: type === 'file' ? blobSha(commit.files.get(`${prefix}${name}`)!) : commit.treeSha,
          size: type === 'file' ? commit.files.get(`${prefix}${name}`)!.length : 0,
          url: `${sim.urls.api}/repos/${fullName}/contents/${prefix}${name}?ref=${ref}`,
        })),
      );
    }
    if (wantsRaw)
      return {
        status: 200,
        raw: content,
        headers: { 'content-type': isBinary(content) ? 'application/octet-stream' : 'text/plain; charset=utf-8' },
      };
    const small = content.length <= LIMITS.contentsJsonBytes;
    return json({
      type: 'file',
      encoding: small ? 'base64' : 'none',
      size: content.length,
      name: path.split('/').pop(),
      path,
      content: small ? (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') : '',
      sha: blobSha(content),
      url: `${sim.urls.api}/repos/${fullName}/contents/${path}?ref=${ref}`,
      git_url: `${sim.urls.api}/repos/${fullName}/git/blobs/${blobSha(content)}`,
      html_url: `${sim.urls.web}/${fullName}/blob/${ref}/${path}`,
      download_url: `${sim.urls.web}/${fullName}/raw/${ref}/${path}`,
    });
  });

  on('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', (request) => {
    const repo = repoOf(request);
    for (const branch of repo.store.branchNames()) {
      const queue = [repo.store.branch(branch)!];
      while (queue.length > 0) {
        const commit = repo.store.commit(queue.pop()!)!;
        for (const content of commit.files.values()) {
          if (blobSha(content) === request.params.file_sha) {
            return json({
              sha: request.params.file_sha,
              node_id: `B_${request.params.file_sha}`,
              size: content.length,
              url: request.url.toString(),
              content: content.toString('base64'),
              encoding: 'base64',
            });
          }
        }
        queue.push(...commit.parents);
      }
    }
    throw notFound();
  });
}

/** Pull requests, their files and commits, and comparisons between commits. */
export function pullRoutes(sim: SimContext, on: Register): void {
  const { repoOf, pullOf } = routeSupport(sim);
  on('GET /repos/{owner}/{repo}/pulls/{pull_number}', (request) => {
    const repo = repoOf(request);
    return json(sim.pullJson(repo, pullOf(repo, request)));
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    const files = repo.store.changedFiles(sim.mergeBase(repo, pull).sha, sim.headCommit(repo, pull).sha, sim.urls.api);
    return paginate(request, files, LIMITS.pullRequestFiles);
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    return paginate(
      request,
      sim.pullCommits(repo, pull).map((commit) => ({
        sha: commit.sha,
        commit: {
          message: commit.message,
          author: commit.author,
          committer: commit.author,
          tree: { sha: commit.treeSha },
        },
        parents: commit.parents.map((sha) => ({ sha })),
      })),
    );
  });

  // GitHub's description has the comparison under two templates; a path like `/compare/a...b` matches either.
  const compare = (request: ApiRequest) => {
    const repo = repoOf(request);
    const [baseRef, headRef] =
      request.params.basehead !== undefined
        ? request.params.basehead.split('...')
        : [request.params.base, request.params.head];
    if (!baseRef || !headRef) throw notFound();
    const base = repo.store.resolve(baseRef);
    const head = repo.store.resolve(headRef);
    if (!base || !head) throw notFound();
    const aheadBy = countCommits(repo, head, base.sha);
    const files = repo.store.changedFiles(base.sha, head.sha, sim.urls.api);
    return json({
      status: aheadBy === 0 ? 'identical' : repo.store.isAncestor(base.sha, head.sha) ? 'ahead' : 'diverged',
      ahead_by: aheadBy,
      behind_by: 0,
      total_commits: aheadBy,
      base_commit: { sha: base.sha },
      merge_base_commit: { sha: base.sha },
      commits: [],
      files: files.slice(0, 300),
    });
  };
  on('GET /repos/{owner}/{repo}/compare/{basehead}', compare);
  on('GET /repos/{owner}/{repo}/compare/{base}...{head}', compare);
}

function countCommits(repo: RepositoryState, head: Commit, baseSha: string): number {
  let count = 0;
  let current: Commit | undefined = head;
  while (current && current.sha !== baseSha && !repo.store.isAncestor(current.sha, baseSha)) {
    count += 1;
    current = current.parents[0] ? repo.store.commit(current.parents[0]) : undefined;
  }
  return count;
}
