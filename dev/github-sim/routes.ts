import type {
  CheckRunState,
  IssueCommentState,
  PullRequestState,
  ReactionState,
  RepositoryState,
  ReviewCommentState,
  ReviewState,
  SimUser,
} from './entities.js';
import { blobSha, diffHunkText, fileHunks, isBinary, positionToLine, type Commit } from './git-store.js';
import { ApiError, json, notFound, paginate, unprocessable, type ApiRequest, type ApiResponse } from './http.js';
import {
  deliveryJson,
  issueCommentJson,
  reactionJson,
  repositoryJson,
  reviewCommentJson,
  reviewJson,
  userJson,
} from './serialize.js';
import { INSTALLATION_PERMISSIONS, type GitHubSimulator } from './simulator.js';

export type RouteHandler = (request: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** GitHub's documented limits. */
export const LIMITS = {
  annotationsPerRequest: 50,
  outputText: 65_535,
  annotationTitle: 255,
  annotationMessage: 65_536,
  commentBody: 65_536,
  actions: 3,
  actionLabel: 20,
  actionDescription: 40,
  actionIdentifier: 20,
  pullRequestFiles: 3_000,
  /** The contents API returns JSON content up to 1 MB; larger files need the raw media type. */
  contentsJsonBytes: 1_000_000,
} as const;

const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];

type Body = Record<string, unknown>;

function tooLong(field: string, limit: number, actual: number): ApiError {
  return unprocessable(`Invalid request.\n\nOnly ${limit} characters are allowed; ${actual} were supplied.`, [
    { resource: 'CheckRun', field, code: 'too_long' },
  ]);
}

function checkBodyLength(body: unknown, resource: string): void {
  if (typeof body === 'string' && body.length > LIMITS.commentBody) {
    throw unprocessable('Validation Failed', [
      {
        resource,
        field: 'body',
        code: 'custom',
        message: `body is too long (maximum is ${LIMITS.commentBody} characters)`,
      },
    ]);
  }
}

/** The routes the simulator models, keyed `METHOD template` as in GitHub's OpenAPI description. */
export function routeHandlers(sim: GitHubSimulator): Map<string, RouteHandler> {
  const routes = new Map<string, RouteHandler>();
  const on = (key: string, handler: RouteHandler): void => {
    routes.set(key, handler);
  };

  /** The repository, if it exists and the caller's installation covers it (GitHub answers 404 otherwise). */
  function repoOf(request: ApiRequest): RepositoryState {
    const repo = sim.repository(request.params.owner ?? '', request.params.repo ?? '');
    if (!repo || (request.installationId !== undefined && repo.installationId !== request.installationId))
      throw notFound();
    return repo;
  }

  const commentJson = (repo: RepositoryState, comment: ReviewCommentState): Record<string, unknown> =>
    reviewCommentJson(repo, comment, sim.urls, sim.placement(repo, comment));

  function requireWrite(permission: keyof typeof INSTALLATION_PERMISSIONS): void {
    if (INSTALLATION_PERMISSIONS[permission] !== 'write')
      throw new ApiError(403, 'Resource not accessible by integration');
  }

  function pullOf(repo: RepositoryState, request: ApiRequest): PullRequestState {
    const pull = repo.pulls.get(Number(request.params.pull_number));
    if (!pull) throw notFound();
    return pull;
  }

  function commitOf(repo: RepositoryState, ref: string): Commit {
    const commit = repo.store.resolve(ref);
    if (!commit) throw unprocessable(`No commit found for SHA: ${ref}`);
    return commit;
  }

  function actorOf(request: ApiRequest): SimUser {
    if (!request.actor) throw new ApiError(403, 'This endpoint requires an installation access token');
    return request.actor;
  }

  // ---- apps ----
  on('GET /app', () => json(sim.appJson()));
  on('GET /app/installations', () => {
    const ids = [...new Set(sim.allRepositories().map((repo) => repo.installationId))];
    return json(ids.map((id) => sim.installationJson(id)));
  });
  // The app's delivery log, newest first, paged by a cursor (the last attempt id seen), as GitHub does.
  on('GET /app/hook/deliveries', (request) => {
    const perPage = Math.min(Number(request.query.get('per_page') ?? 30) || 30, 100);
    const cursor = Number(request.query.get('cursor') ?? Number.POSITIVE_INFINITY);
    const newestFirst = [...sim.deliveries].reverse().filter((delivery) => (delivery.attemptId ?? 0) < cursor);
    const page = newestFirst.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (newestFirst.length > perPage) {
      const next = new URL(request.url);
      next.searchParams.set('cursor', String(page.at(-1)!.attemptId));
      next.searchParams.set('per_page', String(perPage));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return json(page.map(deliveryJson), 200, headers);
  });
  on('POST /app/hook/deliveries/{delivery_id}/attempts', (request) => {
    if (!sim.requestRedelivery(Number(request.params.delivery_id))) throw notFound();
    return json({}, 202);
  });
  on('GET /repos/{owner}/{repo}/installation', (request) => json(sim.installationJson(repoOf(request).installationId)));
  on('POST /app/installations/{installation_id}/access_tokens', (request) => {
    const installationId = Number(request.params.installation_id);
    if (!sim.allRepositories().some((repo) => repo.installationId === installationId)) throw notFound();
    const { token, expiresAt } = sim.issueToken(installationId);
    return json(
      { token, expires_at: expiresAt, permissions: INSTALLATION_PERMISSIONS, repository_selection: 'all' },
      201,
    );
  });
  on('GET /rate_limit', () => {
    const core = {
      limit: 5000,
      used: sim.calls.length,
      remaining: Math.max(5000 - sim.calls.length, 0),
      reset: Math.floor(Date.now() / 1000) + 3600,
    };
    return json({ resources: { core, graphql: core }, rate: core });
  });

  // ---- repositories, contents ----
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

  // ---- pull requests ----
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

  on('GET /repos/{owner}/{repo}/compare/{basehead}', (request) => {
    const repo = repoOf(request);
    const [baseRef, headRef] = request.params.basehead.split('...');
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
  });

  // ---- check runs ----
  function validateOutput(output: Body | undefined, run: CheckRunState | undefined): Record<string, unknown>[] {
    if (!output) return [];
    for (const field of ['summary', 'text'] as const) {
      const value = output[field];
      if (typeof value === 'string' && value.length > LIMITS.outputText)
        throw tooLong(`output.${field}`, LIMITS.outputText, value.length);
    }
    const annotations = (output.annotations as Body[] | undefined) ?? [];
    if (annotations.length > LIMITS.annotationsPerRequest) {
      throw unprocessable(
        `Invalid request.\n\nOnly ${LIMITS.annotationsPerRequest} annotations are allowed per request; ${annotations.length} were supplied.`,
        [{ resource: 'CheckRun', field: 'output.annotations', code: 'too_many' }],
      );
    }
    for (const annotation of annotations) {
      if (typeof annotation.title === 'string' && annotation.title.length > LIMITS.annotationTitle)
        throw tooLong('annotation.title', LIMITS.annotationTitle, annotation.title.length);
      for (const field of ['message', 'raw_details'] as const) {
        const value = annotation[field];
        if (typeof value === 'string' && Buffer.byteLength(value) > LIMITS.annotationMessage)
          throw tooLong(`annotation.${field}`, LIMITS.annotationMessage, Buffer.byteLength(value));
      }
      const startLine = annotation.start_line as number;
      const endLine = annotation.end_line as number;
      if (endLine < startLine)
        throw unprocessable('Invalid request.\n\nend_line must be greater than or equal to start_line.');
      if ((annotation.start_column !== undefined || annotation.end_column !== undefined) && startLine !== endLine) {
        throw unprocessable(
          'Invalid request.\n\nstart_column and end_column may only be used when start_line and end_line are the same.',
        );
      }
    }
    if (run && annotations.length > 0) run.annotationRequests.push(annotations.length);
    return annotations;
  }

  function validateActions(actions: Body[] | undefined): Body[] {
    if (!actions) return [];
    if (actions.length > LIMITS.actions)
      throw unprocessable(
        `Invalid request.\n\nOnly ${LIMITS.actions} actions are allowed; ${actions.length} were supplied.`,
      );
    for (const action of actions) {
      if (String(action.label).length > LIMITS.actionLabel)
        throw tooLong('actions.label', LIMITS.actionLabel, String(action.label).length);
      if (String(action.description).length > LIMITS.actionDescription)
        throw tooLong('actions.description', LIMITS.actionDescription, String(action.description).length);
      if (String(action.identifier).length > LIMITS.actionIdentifier)
        throw tooLong('actions.identifier', LIMITS.actionIdentifier, String(action.identifier).length);
    }
    return actions;
  }

  /** GitHub's rule that the create schema does not spell out: a completed run needs a conclusion. */
  function requireConclusion(run: CheckRunState | undefined, body: Body): void {
    const completing = body.status === 'completed' || typeof body.completed_at === 'string';
    if (completing && typeof body.conclusion !== 'string' && !run?.conclusion) {
      throw unprocessable(
        'Invalid request.\n\n"conclusion" is required when "status" is "completed" or "completed_at" is given.',
        [{ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' }],
      );
    }
  }

  function applyCheckRunFields(run: CheckRunState, body: Body, annotations: Record<string, unknown>[]): void {
    if (typeof body.name === 'string') run.name = body.name;
    if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
    if (typeof body.external_id === 'string') run.externalId = body.external_id;
    if (typeof body.started_at === 'string') run.startedAt = body.started_at;
    if (typeof body.status === 'string') run.status = body.status as CheckRunState['status'];
    if (typeof body.conclusion === 'string') {
      // Sending a conclusion completes the run, as GitHub documents.
      run.conclusion = body.conclusion;
      run.status = 'completed';
    }
    if (run.status === 'completed')
      run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : (run.completedAt ?? sim.now());
    const output = body.output as Body | undefined;
    if (output) {
      if (output.title !== undefined) run.output.title = output.title as string;
      if (output.summary !== undefined) run.output.summary = output.summary as string;
      if (output.text !== undefined) run.output.text = output.text as string;
      run.annotations.push(...annotations);
    }
    if (body.actions) run.actions = body.actions as Body[];
  }

  on('POST /repos/{owner}/{repo}/check-runs', (request) => {
    const repo = repoOf(request);
    requireWrite('checks');
    const body = request.body as Body;
    const head = commitOf(repo, String(body.head_sha));
    if (head.sha !== body.head_sha) throw unprocessable(`No commit found for SHA: ${String(body.head_sha)}`);
    const run: CheckRunState = {
      id: sim.newId(),
      headSha: head.sha,
      name: String(body.name),
      status: 'queued',
      conclusion: null,
      startedAt: sim.now(),
      completedAt: null,
      externalId: null,
      detailsUrl: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      annotationRequests: [],
    };
    requireConclusion(undefined, body);
    validateActions(body.actions as Body[] | undefined);
    const annotations = validateOutput(body.output as Body | undefined, run);
    applyCheckRunFields(run, body, annotations);
    repo.checkRuns.push(run);
    const response = sim.checkRunJson(repo, run);
    sim.emit(repo, 'check_run', 'created', { check_run: response, sender: userJson(sim.bot, sim.urls) });
    if (run.status === 'completed')
      sim.emit(repo, 'check_run', 'completed', { check_run: response, sender: userJson(sim.bot, sim.urls) });
    return json(response, 201);
  });

  function checkRunOf(repo: RepositoryState, request: ApiRequest): CheckRunState {
    const run = repo.checkRuns.find((candidate) => candidate.id === Number(request.params.check_run_id));
    if (!run) throw notFound();
    return run;
  }

  on('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', (request) => {
    const repo = repoOf(request);
    requireWrite('checks');
    const run = checkRunOf(repo, request);
    const body = request.body as Body;
    requireConclusion(run, body);
    validateActions(body.actions as Body[] | undefined);
    const wasCompleted = run.status === 'completed';
    const annotations = validateOutput(body.output as Body | undefined, run);
    applyCheckRunFields(run, body, annotations);
    const response = sim.checkRunJson(repo, run);
    if (!wasCompleted && run.status === 'completed')
      sim.emit(repo, 'check_run', 'completed', { check_run: response, sender: userJson(sim.bot, sim.urls) });
    return json(response);
  });

  on('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', (request) => {
    const repo = repoOf(request);
    return json(sim.checkRunJson(repo, checkRunOf(repo, request)));
  });

  on('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', (request) => {
    const repo = repoOf(request);
    return paginate(request, checkRunOf(repo, request).annotations);
  });

  on('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', (request) => {
    const repo = repoOf(request);
    const commit = repo.store.resolve(request.params.ref);
    if (!commit) throw unprocessable(`No commit found for SHA: ${request.params.ref}`);
    const name = request.query.get('check_name');
    const runs = repo.checkRuns.filter((run) => run.headSha === commit.sha && (!name || run.name === name)).reverse();
    const page = paginate(
      request,
      runs.map((run) => sim.checkRunJson(repo, run)),
    );
    return { ...page, body: { total_count: runs.length, check_runs: page.body } };
  });

  // ---- reviews and review comments ----
  interface Anchor {
    path: string;
    line: number;
    side: 'LEFT' | 'RIGHT';
    startLine: number | null;
    startSide: 'LEFT' | 'RIGHT' | null;
  }

  /** Places a comment on the PR's diff at `commit`, or explains why GitHub would refuse it. */
  function anchor(repo: RepositoryState, pull: PullRequestState, commit: Commit, comment: Body): Anchor {
    const path = String(comment.path);
    const base = sim.mergeBase(repo, pull);
    const changed = repo.store.changedFiles(base.sha, commit.sha, sim.urls.api).find((file) => file.filename === path);
    if (!changed) throw unprocessable('Unprocessable Entity', ['Path could not be resolved']);
    let line: number;
    let side: 'LEFT' | 'RIGHT';
    if (typeof comment.line === 'number') {
      line = comment.line;
      side = comment.side === 'LEFT' ? 'LEFT' : 'RIGHT';
      if (comment.side !== undefined && comment.side !== 'LEFT' && comment.side !== 'RIGHT')
        throw unprocessable('Unprocessable Entity', ['side must be LEFT or RIGHT']);
    } else if (typeof comment.position === 'number') {
      const placed = changed.patch ? positionToLine(changed.patch, comment.position) : undefined;
      if (!placed) throw unprocessable('Unprocessable Entity', ['Position could not be resolved']);
      ({ line, side } = placed);
    } else {
      throw unprocessable('Unprocessable Entity', ['Either line or position must be given']);
    }
    const hunks = fileHunks(base, commit, path);
    const hunkIndex = hunks.findIndex((hunk) => {
      const range = side === 'RIGHT' ? hunk.right : hunk.left;
      return line >= range.start && line <= range.end;
    });
    if (hunkIndex < 0) throw unprocessable('Unprocessable Entity', ['Line could not be resolved']);
    let startLine: number | null = null;
    let startSide: 'LEFT' | 'RIGHT' | null = null;
    if (typeof comment.start_line === 'number') {
      startLine = comment.start_line;
      startSide = comment.start_side === 'LEFT' ? 'LEFT' : comment.start_side === 'RIGHT' ? 'RIGHT' : side;
      if (startLine >= line && startSide === side)
        throw unprocessable('Unprocessable Entity', ['start_line must precede the end line.']);
      const range = startSide === 'RIGHT' ? hunks[hunkIndex].right : hunks[hunkIndex].left;
      if (startLine < range.start || startLine > range.end)
        throw unprocessable('Unprocessable Entity', ['start_line must be part of the same hunk as the line.']);
    }
    return { path, line, side, startLine, startSide };
  }

  function commitForReview(repo: RepositoryState, pull: PullRequestState, commitId: unknown): Commit {
    if (commitId === undefined) return sim.headCommit(repo, pull);
    const commit = commitOf(repo, String(commitId));
    if (!sim.pullCommits(repo, pull).some((candidate) => candidate.sha === commit.sha)) {
      throw unprocessable('Unprocessable Entity', ['commit_id is not part of the pull request']);
    }
    return commit;
  }

  function newReviewComment(
    repo: RepositoryState,
    pull: PullRequestState,
    commit: Commit,
    place: Anchor,
    body: string,
    user: SimUser,
    reviewId: number,
    inReplyToId: number | null,
  ): ReviewCommentState {
    const timestamp = sim.now();
    return {
      id: sim.newId(),
      reviewId,
      pullNumber: pull.number,
      ...place,
      body,
      commitId: commit.sha,
      diffHunk: diffHunkText(sim.mergeBase(repo, pull), commit, place.path, place.line, place.side),
      user,
      inReplyToId,
      createdAt: timestamp,
      updatedAt: timestamp,
      minimized: null,
      reactions: [],
    };
  }

  function reviewOf(repo: RepositoryState, pull: PullRequestState, request: ApiRequest): ReviewState {
    const review = repo.reviews.find(
      (candidate) => candidate.id === Number(request.params.review_id) && candidate.pullNumber === pull.number,
    );
    if (!review) throw notFound();
    return review;
  }

  const REVIEW_STATES: Record<string, ReviewState['state']> = {
    APPROVE: 'APPROVED',
    REQUEST_CHANGES: 'CHANGES_REQUESTED',
    COMMENT: 'COMMENTED',
  };

  function checkReviewEvent(
    event: string | undefined,
    body: string,
    commentCount: number,
    pull: PullRequestState,
    user: SimUser,
  ): void {
    if ((event === 'REQUEST_CHANGES' || (event === 'COMMENT' && commentCount === 0)) && body.trim() === '') {
      throw unprocessable('Unprocessable Entity', [
        `Review Can not ${event === 'COMMENT' ? 'comment' : 'request changes'} on a pull request without a body`,
      ]);
    }
    if ((event === 'REQUEST_CHANGES' || event === 'APPROVE') && pull.user.login === user.login) {
      throw unprocessable('Unprocessable Entity', [
        `Review Can not ${event === 'APPROVE' ? 'approve' : 'request changes on'} your own pull request`,
      ]);
    }
  }

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    const visible = sim
      .reviews(repo, pull)
      .filter((review) => review.state !== 'PENDING' || review.user.login === request.actor?.login);
    return paginate(
      request,
      visible.map((review) => reviewJson(repo, review, sim.urls)),
    );
  });

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    const pull = pullOf(repo, request);
    const user = actorOf(request);
    const body = request.body as Body;
    const text = typeof body.body === 'string' ? body.body : '';
    checkBodyLength(text, 'PullRequestReview');
    const event = body.event as string | undefined;
    const comments = (body.comments as Body[] | undefined) ?? [];
    checkReviewEvent(event, text, comments.length, pull, user);
    if (
      !event &&
      sim.reviews(repo, pull).some((review) => review.state === 'PENDING' && review.user.login === user.login)
    ) {
      throw unprocessable('Unprocessable Entity', ['User can only have one pending review per pull request']);
    }
    const commit = commitForReview(repo, pull, body.commit_id);
    // One comment GitHub cannot place fails the whole review: nothing is created.
    const anchors = comments.map((comment) => {
      checkBodyLength(comment.body, 'PullRequestReviewComment');
      return anchor(repo, pull, commit, comment);
    });
    const review: ReviewState = {
      id: sim.newId(),
      pullNumber: pull.number,
      user,
      body: text,
      state: event ? REVIEW_STATES[event] : 'PENDING',
      commitId: commit.sha,
      submittedAt: event ? sim.now() : null,
    };
    repo.reviews.push(review);
    anchors.forEach((place, index) =>
      repo.reviewComments.push(
        newReviewComment(repo, pull, commit, place, String(comments[index].body), user, review.id, null),
      ),
    );
    return json(reviewJson(repo, review, sim.urls));
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (request) => {
    const repo = repoOf(request);
    return json(reviewJson(repo, reviewOf(repo, pullOf(repo, request), request), sim.urls));
  });

  on('PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (request) => {
    const repo = repoOf(request);
    const review = reviewOf(repo, pullOf(repo, request), request);
    if (review.user.login !== actorOf(request).login) throw new ApiError(403, 'Resource not accessible by integration');
    const text = String((request.body as Body).body);
    checkBodyLength(text, 'PullRequestReview');
    review.body = text;
    return json(reviewJson(repo, review, sim.urls));
  });

  on('DELETE /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (request) => {
    const repo = repoOf(request);
    const review = reviewOf(repo, pullOf(repo, request), request);
    if (review.state !== 'PENDING')
      throw unprocessable('Unprocessable Entity', ['Can not delete a non-pending pull request review']);
    repo.reviews.splice(repo.reviews.indexOf(review), 1);
    repo.reviewComments = repo.reviewComments.filter((comment) => comment.reviewId !== review.id);
    return json(reviewJson(repo, review, sim.urls));
  });

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    const review = reviewOf(repo, pull, request);
    if (review.state !== 'PENDING')
      throw unprocessable('Unprocessable Entity', ['Can not submit a non-pending pull request review']);
    const body = request.body as Body;
    const text = typeof body.body === 'string' ? body.body : review.body;
    const event = String(body.event);
    const commentCount = repo.reviewComments.filter((comment) => comment.reviewId === review.id).length;
    checkReviewEvent(event, text, commentCount, pull, review.user);
    review.body = text;
    review.state = REVIEW_STATES[event]!;
    review.submittedAt = sim.now();
    return json(reviewJson(repo, review, sim.urls));
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments', (request) => {
    const repo = repoOf(request);
    const review = reviewOf(repo, pullOf(repo, request), request);
    return paginate(
      request,
      repo.reviewComments
        .filter((comment) => comment.reviewId === review.id)
        .map((comment) => commentJson(repo, comment)),
    );
  });

  function visibleReviewComments(repo: RepositoryState, request: ApiRequest): ReviewCommentState[] {
    const pending = new Set(
      repo.reviews
        .filter((review) => review.state === 'PENDING' && review.user.login !== request.actor?.login)
        .map((review) => review.id),
    );
    return repo.reviewComments.filter((comment) => !pending.has(comment.reviewId));
  }

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    const comments = visibleReviewComments(repo, request).filter((comment) => comment.pullNumber === pull.number);
    return paginate(
      request,
      comments.map((comment) => commentJson(repo, comment)),
    );
  });

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/comments', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    const pull = pullOf(repo, request);
    const user = actorOf(request);
    const body = request.body as Body;
    checkBodyLength(body.body, 'PullRequestReviewComment');
    if (typeof body.in_reply_to === 'number') return reply(repo, pull, body.in_reply_to, String(body.body), user);
    const commit = commitForReview(repo, pull, body.commit_id);
    const place = anchor(repo, pull, commit, body);
    const review = singleCommentReview(repo, pull, user, commit.sha);
    const comment = newReviewComment(repo, pull, commit, place, String(body.body), user, review.id, null);
    repo.reviewComments.push(comment);
    return json(commentJson(repo, comment), 201);
  });

  /** The submitted review GitHub creates around a comment posted on its own (or a reply). */
  function singleCommentReview(
    repo: RepositoryState,
    pull: PullRequestState,
    user: SimUser,
    commitId: string,
  ): ReviewState {
    const review: ReviewState = {
      id: sim.newId(),
      pullNumber: pull.number,
      user,
      body: '',
      state: 'COMMENTED',
      commitId,
      submittedAt: sim.now(),
    };
    repo.reviews.push(review);
    return review;
  }

  function reply(
    repo: RepositoryState,
    pull: PullRequestState,
    parentId: number,
    text: string,
    user: SimUser,
  ): ApiResponse {
    const parent = repo.reviewComments.find((comment) => comment.id === parentId && comment.pullNumber === pull.number);
    if (!parent) throw notFound();
    const commit = repo.store.commit(parent.commitId)!;
    const review = singleCommentReview(repo, pull, user, commit.sha);
    const place = {
      path: parent.path,
      line: parent.line,
      side: parent.side,
      startLine: parent.startLine,
      startSide: parent.startSide,
    };
    const comment = newReviewComment(repo, pull, commit, place, text, user, review.id, parent.inReplyToId ?? parent.id);
    repo.reviewComments.push(comment);
    return json(commentJson(repo, comment), 201);
  }

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    const body = request.body as Body;
    checkBodyLength(body.body, 'PullRequestReviewComment');
    return reply(repo, pullOf(repo, request), Number(request.params.comment_id), String(body.body), actorOf(request));
  });

  /** Only the author may edit a comment; an app edits its own bot's comments. */
  function editOwnComment<T extends { user: SimUser; body: string; updatedAt: string }>(
    comment: T,
    request: ApiRequest,
    resource: string,
  ): T {
    if (comment.user.login !== actorOf(request).login)
      throw new ApiError(403, 'Resource not accessible by integration');
    const text = (request.body as Body).body;
    checkBodyLength(text, resource);
    comment.body = String(text);
    comment.updatedAt = sim.now();
    return comment;
  }

  function reviewCommentOf(repo: RepositoryState, request: ApiRequest): ReviewCommentState {
    const comment = visibleReviewComments(repo, request).find(
      (candidate) => candidate.id === Number(request.params.comment_id),
    );
    if (!comment) throw notFound();
    return comment;
  }

  on('GET /repos/{owner}/{repo}/pulls/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    return json(commentJson(repo, reviewCommentOf(repo, request)));
  });

  on('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    return json(commentJson(repo, editOwnComment(reviewCommentOf(repo, request), request, 'PullRequestReviewComment')));
  });

  on('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    const comment = reviewCommentOf(repo, request);
    if (comment.user.login !== actorOf(request).login)
      throw new ApiError(403, 'Resource not accessible by integration');
    repo.reviewComments.splice(repo.reviewComments.indexOf(comment), 1);
    return { status: 204 };
  });

  // ---- issue comments and reactions ----
  function issueCommentOf(repo: RepositoryState, request: ApiRequest): IssueCommentState {
    const comment = repo.issueComments.find((candidate) => candidate.id === Number(request.params.comment_id));
    if (!comment) throw notFound();
    return comment;
  }

  on('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', (request) => {
    const repo = repoOf(request);
    const number = Number(request.params.issue_number);
    if (!repo.pulls.has(number)) throw notFound();
    return paginate(
      request,
      repo.issueComments
        .filter((comment) => comment.issueNumber === number)
        .map((comment) => issueCommentJson(repo, comment, sim.urls)),
    );
  });

  on('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', (request) => {
    const repo = repoOf(request);
    requireWrite('issues');
    const pull = repo.pulls.get(Number(request.params.issue_number));
    if (!pull) throw notFound();
    const text = (request.body as Body).body;
    checkBodyLength(text, 'IssueComment');
    const comment = sim.addIssueComment(repo, pull.number, actorOf(request), String(text));
    sim.emit(repo, 'issue_comment', 'created', sim.issueCommentFields(repo, pull, comment), ['issue', 'comment']);
    return json(issueCommentJson(repo, comment, sim.urls), 201);
  });

  on('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    return json(issueCommentJson(repo, issueCommentOf(repo, request), sim.urls));
  });

  on('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    requireWrite('issues');
    return json(
      issueCommentJson(repo, editOwnComment(issueCommentOf(repo, request), request, 'IssueComment'), sim.urls),
    );
  });

  function addReaction(reactions: ReactionState[], request: ApiRequest): ApiResponse {
    const content = String((request.body as Body).content);
    if (!REACTIONS.includes(content))
      throw unprocessable('Validation Failed', [{ resource: 'Reaction', field: 'content', code: 'invalid' }]);
    const user = actorOf(request);
    const existing = reactions.find((reaction) => reaction.content === content && reaction.user.login === user.login);
    if (existing) return json(reactionJson(existing, sim.urls), 200);
    const reaction: ReactionState = { id: sim.newId(), content, user, createdAt: sim.now() };
    reactions.push(reaction);
    return json(reactionJson(reaction, sim.urls), 201);
  }

  // Reactions on both kinds of comment: the permission follows the comment's kind.
  const reactionTargets = [
    { kind: 'issues', permission: 'issues', find: issueCommentOf },
    { kind: 'pulls', permission: 'pull_requests', find: reviewCommentOf },
  ] as const;
  for (const target of reactionTargets) {
    const template = `/repos/{owner}/{repo}/${target.kind}/comments/{comment_id}/reactions`;
    on(`POST ${template}`, (request) => {
      const repo = repoOf(request);
      requireWrite(target.permission);
      return addReaction(target.find(repo, request).reactions, request);
    });
    on(`GET ${template}`, (request) => {
      const repo = repoOf(request);
      return paginate(
        request,
        target.find(repo, request).reactions.map((reaction) => reactionJson(reaction, sim.urls)),
      );
    });
  }

  // ---- collaborators ----
  on('GET /repos/{owner}/{repo}/collaborators/{username}/permission', (request) => {
    const repo = repoOf(request);
    const user = sim.user(request.params.username);
    const permission = sim.permissionOf(repo, user.login);
    return json({
      permission: permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission,
      role_name: permission,
      user: { login: user.login, id: user.id, type: user.type },
    });
  });

  return routes;
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
