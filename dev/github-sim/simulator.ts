import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { KNOWN_ADVISORIES, type SimAdvisory } from './advisories.js';
import { AuthenticationError, newInstallationToken, publicKeyOf, verifyAppJwt } from './auth.js';
import type {
  CheckRunState,
  IssueCommentState,
  MergeGroupState,
  Permission,
  PullRequestState,
  RepositoryState,
  ReviewCommentState,
  ReviewState,
  SimUser,
} from './entities.js';
import { lineToPosition, mapLineForward, RepositoryStore, type Commit, type FileContent } from './git-store.js';
import { ApiError, type ApiRequest, type ApiResponse } from './http.js';
import { OpenApiValidator } from './openapi.js';
import { routeHandlers } from './routes.js';
import { replyInThread } from './review-placement.js';
import {
  INSTALLATION_PERMISSIONS,
  type InstallationPermissions,
  type RecordedCall,
  type Rejection,
  type RouteHandler,
  type SimContext,
  type WebhookEvent,
} from './context.js';
import { graphqlHandler } from './graphql-api.js';
import {
  checkRunJson,
  issueCommentJson,
  pullRequestJson,
  repositoryJson,
  reviewCommentJson,
  userJson,
  type CommentPlacement,
  type UrlRoots,
} from './serialize.js';
import { buildPayload, sendWebhook, type Delivery, type DeliveryOptions } from './webhooks.js';

export { INSTALLATION_PERMISSIONS, type RecordedCall, type Rejection } from './context.js';

export interface SimulatorOptions {
  appId: number;
  /** The app's slug; its bot user is `<slug>[bot]`. */
  appSlug?: string;
  /** The app's private key (PEM) or its public half: app JWTs are verified with it. */
  appKey: string;
  webhookSecret: string;
  /** Where webhooks go, e.g. `http://127.0.0.1:3000/api/github/webhooks`; settable later. */
  webhookUrl?: string;
  /** The events the app subscribed to; GitHub delivers only these. */
  events?: string[];
  /** What a user who is not a collaborator may do (public repositories: read). */
  defaultPermission?: Permission;
  /** Where rejected requests are reported; GitHub's answer goes to the client too. */
  log?: (line: string) => void;
  /** What installations are granted; default the manifest's (`INSTALLATION_PERMISSIONS`). */
  permissions?: InstallationPermissions;
}

/** An API request as it arrived, its body read. */
interface IncomingRequest {
  method: string;
  /** Without the GHE `/api/v3` prefix; GraphQL's is `/graphql`. */
  path: string;
  url: URL;
  body: unknown;
  request: IncomingMessage;
}

interface InstallationToken {
  installationId: number;
  expiresAt: number;
}

/** The events `app.yml` subscribes to. */
const DEFAULT_EVENTS = [
  'pull_request',
  'issue_comment',
  'pull_request_review_comment',
  'check_run',
  'check_suite',
  'merge_group',
  'push',
];

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** Requests that create content, which GitHub's secondary rate limit counts. */
const CONTENT_CREATION_ROUTES = new Set([
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
]);

/** GitHub's documented secondary limits on content creation. */
const CONTENT_CREATION_LIMITS = [
  { windowMs: 60_000, max: 80 },
  { windowMs: 3_600_000, max: 500 },
];

/**
 * A stateful stand-in for GitHub: REST (GHE-style under `/api/v3`), GraphQL (`/api/graphql`),
 * app authentication, and signed webhooks to the app. Requests are checked against GitHub's
 * OpenAPI description and GitHub's documented limits; whatever GitHub would refuse is refused
 * here and reported.
 */
export class GitHubSimulator implements SimContext {
  readonly calls: RecordedCall[] = [];
  readonly rejections: Rejection[] = [];
  readonly deliveries: Delivery[] = [];
  /** The advisory database `securityVulnerabilities` answers from. */
  readonly advisories: SimAdvisory[] = [...KNOWN_ADVISORIES];
  readonly appId: number;
  readonly appSlug: string;
  readonly bot: SimUser;
  readonly validator: OpenApiValidator;
  readonly permissions: InstallationPermissions;
  webhookUrl: string | undefined;

  private readonly repositories = new Map<string, RepositoryState>();
  private readonly users = new Map<string, SimUser>();
  private readonly tokens = new Map<string, InstallationToken>();
  private readonly publicKey: KeyObject;
  private readonly events: Set<string>;
  private readonly log: (line: string) => void;
  private readonly handlers: Map<string, RouteHandler>;
  private readonly pendingDeliveries = new Set<Promise<unknown>>();
  private readonly contentCreations = new Map<number, number[]>();
  private server: Server | undefined;
  private nextId = 1000;
  private port = 0;

  private constructor(
    readonly options: SimulatorOptions,
    validator: OpenApiValidator,
  ) {
    this.appId = options.appId;
    this.appSlug = options.appSlug ?? 'warden';
    this.bot = { login: `${this.appSlug}[bot]`, id: 41_000_000 + options.appId, type: 'Bot' };
    this.users.set(this.bot.login, this.bot);
    this.publicKey = publicKeyOf(options.appKey);
    this.webhookUrl = options.webhookUrl;
    this.events = new Set(options.events ?? DEFAULT_EVENTS);
    this.log = options.log ?? ((line) => process.stderr.write(`[github-sim] ${line}\n`));
    this.validator = validator;
    this.permissions = { ...(options.permissions ?? INSTALLATION_PERMISSIONS) };
    this.handlers = routeHandlers(this);
  }

  /** Starts a simulator on 127.0.0.1 at a random port. */
  static async start(options: SimulatorOptions, validator = new OpenApiValidator()): Promise<GitHubSimulator> {
    const simulator = new GitHubSimulator(options, validator);
    const server = createServer((request, response) => {
      simulator.handle(request, response).catch((error: unknown) => {
        simulator.log(`internal error: ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ message: 'Server Error' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    simulator.server = server;
    simulator.port = (server.address() as AddressInfo).port;
    return simulator;
  }

  /** `127.0.0.1:<port>`, the value of the app's `GHE_HOST`. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get urls(): UrlRoots {
    return { api: `http://${this.host}/api/v3`, web: `http://${this.host}` };
  }

  async close(): Promise<void> {
    await this.settleDeliveries();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- state used by the route handlers ----

  newId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  /** The wall clock in GitHub's format: apps compare these times with their own (cooldowns, staleness). */
  now(): string {
    return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  }

  user(login: string): SimUser {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: 5_000_000 + this.users.size, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      this.users.set(login, user);
    }
    return user;
  }

  repository(owner: string, name: string): RepositoryState | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase());
  }

  allRepositories(): RepositoryState[] {
    return [...this.repositories.values()];
  }

  ownerOf(repo: RepositoryState): SimUser {
    return this.user(repo.store.owner);
  }

  permissionOf(repo: RepositoryState, login: string): Permission {
    if (login.toLowerCase() === repo.store.owner.toLowerCase()) return 'admin';
    return repo.permissions.get(login.toLowerCase()) ?? this.options.defaultPermission ?? 'read';
  }

  appJson(): Record<string, unknown> {
    return {
      id: this.appId,
      slug: this.appSlug,
      node_id: `A_${this.appId}`,
      owner: userJson(this.user('warden-dev'), this.urls),
      name: this.appSlug,
      description: 'Security review for Python pull requests',
      external_url: this.urls.web,
      html_url: `${this.urls.web}/apps/${this.appSlug}`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      permissions: this.permissions,
      events: [...this.events],
    };
  }

  installationJson(installationId: number): Record<string, unknown> {
    const repo = this.allRepositories().find((candidate) => candidate.installationId === installationId);
    const account = repo ? this.ownerOf(repo) : this.user('octo-org');
    return {
      id: installationId,
      account: userJson(account, this.urls),
      repository_selection: 'all',
      access_tokens_url: `${this.urls.api}/app/installations/${installationId}/access_tokens`,
      repositories_url: `${this.urls.api}/installation/repositories`,
      html_url: `${this.urls.web}/settings/installations/${installationId}`,
      app_id: this.appId,
      app_slug: this.appSlug,
      target_id: account.id,
      target_type: 'Organization',
      permissions: this.permissions,
      events: [...this.events],
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      single_file_name: null,
    };
  }

  issueToken(installationId: number): { token: string; expiresAt: string } {
    const token = newInstallationToken();
    const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
    this.tokens.set(token, { installationId, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z') };
  }

  /** The PR's merge base with its base branch: GitHub diffs a PR from there (three dots). */
  mergeBase(repo: RepositoryState, pull: PullRequestState): Commit {
    const baseTip = repo.store.branch(pull.baseRef)!;
    const headTip = repo.store.branch(pull.headRef)!;
    const queue = [headTip];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.shift()!;
      if (seen.has(sha)) continue;
      seen.add(sha);
      if (repo.store.isAncestor(sha, baseTip)) return repo.store.commit(sha)!;
      queue.push(...repo.store.commit(sha)!.parents);
    }
    return repo.store.commit(baseTip)!;
  }

  headCommit(repo: RepositoryState, pull: PullRequestState): Commit {
    return repo.store.commit(repo.store.branch(pull.headRef)!)!;
  }

  /** The PR's own commits, oldest first. */
  pullCommits(repo: RepositoryState, pull: PullRequestState): Commit[] {
    const base = this.mergeBase(repo, pull).sha;
    const commits: Commit[] = [];
    let current: Commit | undefined = this.headCommit(repo, pull);
    while (current && current.sha !== base) {
      commits.unshift(current);
      current = current.parents[0] ? repo.store.commit(current.parents[0]) : undefined;
    }
    return commits;
  }

  pullJson(repo: RepositoryState, pull: PullRequestState): Record<string, unknown> {
    const base = this.mergeBase(repo, pull);
    const head = this.headCommit(repo, pull);
    const files = repo.store.changedFiles(base.sha, head.sha, this.urls.api);
    return pullRequestJson(
      repo,
      this.ownerOf(repo),
      pull,
      {
        headSha: head.sha,
        baseSha: repo.store.branch(pull.baseRef)!,
        commits: this.pullCommits(repo, pull).length,
        additions: files.reduce((sum, file) => sum + file.additions, 0),
        deletions: files.reduce((sum, file) => sum + file.deletions, 0),
        changedFiles: files.length,
      },
      this.urls,
    );
  }

  /**
   * Carries a review comment forward to the PR's head as GitHub does: its line moves with the
   * lines inserted or removed above it, and it becomes outdated (line and position null) when
   * its own lines changed or left the diff.
   */
  placement(repo: RepositoryState, comment: ReviewCommentState): CommentPlacement {
    const pull = repo.pulls.get(comment.pullNumber)!;
    const base = this.mergeBase(repo, pull);
    const head = this.headCommit(repo, pull);
    const patchAt = (sha: string): string | undefined =>
      repo.store.changedFiles(base.sha, sha, this.urls.api).find((file) => file.filename === comment.path)?.patch;
    const originalPatch = patchAt(comment.commitId);
    const originalPosition =
      originalPatch === undefined ? null : lineToPosition(originalPatch, comment.line, comment.side);
    const outdated: CommentPlacement = {
      line: null,
      startLine: null,
      position: null,
      originalPosition,
      commitId: comment.commitId,
    };
    let line: number | null = comment.line;
    let startLine: number | null = comment.startLine;
    if (comment.commitId !== head.sha && comment.side === 'RIGHT') {
      const before = repo.store.commit(comment.commitId)?.files.get(comment.path)?.toString('utf8');
      const after = head.files.get(comment.path)?.toString('utf8');
      if (before === undefined || after === undefined) return outdated;
      line = mapLineForward(before, after, comment.line);
      startLine = comment.startLine === null ? null : mapLineForward(before, after, comment.startLine);
      if (line === null || (comment.startLine !== null && startLine === null)) return outdated;
    }
    const patch = patchAt(head.sha);
    const position = patch === undefined ? null : lineToPosition(patch, line, comment.side);
    if (position === null) return outdated;
    return { line, startLine, position, originalPosition, commitId: head.sha };
  }

  /** A check run as the REST API and `check_run` webhooks show it, with the PRs whose head it is on. */
  checkRunJson(repo: RepositoryState, run: CheckRunState): Record<string, unknown> {
    const pulls = [...repo.pulls.values()]
      .filter((pull) => this.headCommit(repo, pull).sha === run.headSha)
      .map((pull) => ({
        id: pull.id,
        number: pull.number,
        url: `${this.urls.api}/repos/${repo.store.owner}/${repo.store.name}/pulls/${pull.number}`,
        head: { ref: pull.headRef, sha: run.headSha },
        base: { ref: pull.baseRef, sha: repo.store.branch(pull.baseRef) },
      }));
    return checkRunJson(repo, run, this.appJson(), pulls, this.urls);
  }

  /** Sends a webhook in the background (as GitHub does after an API call), if the app subscribed to it. */
  emit(repo: RepositoryState, webhook: WebhookEvent): void {
    if (!this.events.has(webhook.event)) return;
    const delivery = this.deliver(repo, webhook);
    this.pendingDeliveries.add(delivery);
    void delivery.finally(() => this.pendingDeliveries.delete(delivery));
  }

  // ---- the test and demo API ----

  /** Creates a repository with an initial commit on its default branch, installed for the app. */
  createRepository(
    owner: string,
    name: string,
    files: Record<string, FileContent>,
    options: { installationId?: number } = {},
  ): RepositoryState {
    const store = new RepositoryStore(owner, name);
    store.pushCommit(store.defaultBranch, 'Initial commit', files);
    const repo: RepositoryState = {
      id: this.newId(),
      store,
      installationId: options.installationId ?? 1,
      permissions: new Map(),
      pulls: new Map(),
      checkRuns: [],
      reviews: [],
      reviewComments: [],
      issueComments: [],
      mergeGroups: [],
      nextIssueNumber: 1,
    };
    this.repositories.set(`${owner}/${name}`.toLowerCase(), repo);
    this.user(owner);
    return repo;
  }

  setPermission(repo: RepositoryState, login: string, permission: Permission): void {
    this.user(login);
    repo.permissions.set(login.toLowerCase(), permission);
  }

  /** Pushes a branch and opens a PR from it; delivers `pull_request.opened` and resolves with the delivery. */
  async openPullRequest(
    repo: RepositoryState,
    options: {
      branch: string;
      title: string;
      body?: string;
      author: string;
      files: Record<string, FileContent | null>;
      message?: string;
      delivery?: DeliveryOptions;
    },
  ): Promise<{ pull: PullRequestState; delivery: Delivery | undefined }> {
    const { store } = repo;
    store.pushCommit(options.branch, options.message ?? options.title, options.files, store.defaultBranch);
    const timestamp = this.now();
    const pull: PullRequestState = {
      number: repo.nextIssueNumber++,
      id: this.newId(),
      title: options.title,
      body: options.body ?? '',
      user: this.user(options.author),
      headRef: options.branch,
      baseRef: store.defaultBranch,
      state: 'open',
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    repo.pulls.set(pull.number, pull);
    const fields = {
      number: pull.number,
      pull_request: this.pullJson(repo, pull),
      sender: userJson(pull.user, this.urls),
    };
    const delivery = await this.deliver(
      repo,
      { event: 'pull_request', action: 'opened', fields, merge: ['pull_request'] },
      options.delivery,
    );
    return { pull, delivery };
  }

  /** Pushes a commit to the PR's branch; delivers `pull_request.synchronize`. */
  async pushToPullRequest(
    repo: RepositoryState,
    pull: PullRequestState,
    message: string,
    files: Record<string, FileContent | null>,
  ): Promise<{ commit: Commit; delivery: Delivery | undefined }> {
    const before = this.headCommit(repo, pull).sha;
    const commit = repo.store.pushCommit(pull.headRef, message, files);
    pull.updatedAt = this.now();
    const delivery = await this.deliver(repo, {
      event: 'pull_request',
      action: 'synchronize',
      fields: {
        number: pull.number,
        before,
        after: commit.sha,
        pull_request: this.pullJson(repo, pull),
        sender: userJson(pull.user, this.urls),
      },
      merge: ['pull_request'],
    });
    return { commit, delivery };
  }

  /** A user writes a comment on the PR's conversation; delivers `issue_comment.created`. */
  async commentOnPullRequest(
    repo: RepositoryState,
    pull: PullRequestState,
    author: string,
    body: string,
  ): Promise<{ comment: IssueCommentState; delivery: Delivery | undefined }> {
    const comment = this.addIssueComment(repo, pull.number, this.user(author), body);
    const delivery = await this.deliver(repo, {
      event: 'issue_comment',
      action: 'created',
      fields: this.issueCommentFields(repo, pull, comment),
      merge: ['issue', 'comment'],
    });
    return { comment, delivery };
  }

  /** A user presses one of the run's action buttons; GitHub tells only the app that created the run. */
  async pressCheckRunAction(
    repo: RepositoryState,
    run: CheckRunState,
    identifier: string,
    user: string,
  ): Promise<Delivery | undefined> {
    if (!run.actions.some((action) => action.identifier === identifier))
      throw new Error(`check run ${run.id} has no action "${identifier}"`);
    const fields = {
      check_run: this.checkRunJson(repo, run),
      requested_action: { identifier },
      sender: userJson(this.user(user), this.urls),
    };
    return this.deliver(repo, { event: 'check_run', action: 'requested_action', fields, merge: ['check_run'] });
  }

  /** A user presses "Re-run" on the check run. */
  async rerequestCheckRun(repo: RepositoryState, run: CheckRunState, user: string): Promise<Delivery | undefined> {
    return this.deliver(repo, {
      event: 'check_run',
      action: 'rerequested',
      fields: { check_run: this.checkRunJson(repo, run), sender: userJson(this.user(user), this.urls) },
      merge: ['check_run'],
    });
  }

  /**
   * A user replies in the review thread of `parentId` (a command such as `/warden fp`); delivers
   * `pull_request_review_comment.created`.
   */
  async replyToReviewComment(
    repo: RepositoryState,
    pull: PullRequestState,
    reply: { parentId: number; author: string; body: string },
  ): Promise<{ comment: ReviewCommentState; delivery: Delivery | undefined }> {
    const user = this.user(reply.author);
    const comment = replyInThread({ sim: this, repo, pull }, reply.parentId, reply.body, user);
    const delivery = await this.deliver(repo, {
      event: 'pull_request_review_comment',
      action: 'created',
      fields: {
        comment: reviewCommentJson(repo, comment, this.urls, this.placement(repo, comment)),
        pull_request: this.pullJson(repo, pull),
        sender: userJson(user, this.urls),
      },
      merge: ['comment', 'pull_request'],
    });
    return { comment, delivery };
  }

  /** The pull request's review threads as GitHub shows them: their comments, and who resolved them. */
  reviewThreads(
    repo: RepositoryState,
    pull: PullRequestState,
  ): { comments: ReviewCommentState[]; isResolved: boolean; resolvedBy: string | null }[] {
    const comments = this.reviewComments(repo, pull);
    return comments
      .filter((comment) => comment.inReplyToId === null)
      .map((root) => ({
        comments: [root, ...comments.filter((comment) => comment.inReplyToId === root.id)],
        isResolved: root.resolvedBy !== null,
        resolvedBy: root.resolvedBy?.login ?? null,
      }));
  }

  /**
   * A maintainer adds the pull request to the base branch's merge queue: GitHub commits its changes
   * on top of the base branch's tip on a `gh-readonly-queue/…` branch and delivers
   * `merge_group.checks_requested`; the queue merges only once the required checks complete on
   * that commit (`sim.checkRuns(repo, group.headSha)`).
   */
  async enqueueInMergeQueue(
    repo: RepositoryState,
    pull: PullRequestState,
  ): Promise<{ group: MergeGroupState; delivery: Delivery | undefined }> {
    const head = this.headCommit(repo, pull);
    const changes: Record<string, Buffer | null> = {};
    for (const file of repo.store.changedFiles(this.mergeBase(repo, pull).sha, head.sha, this.urls.api)) {
      if (file.previous_filename) changes[file.previous_filename] = null;
      changes[file.filename] = head.files.get(file.filename) ?? null;
    }
    const baseSha = repo.store.branch(pull.baseRef)!;
    const branch = `gh-readonly-queue/${pull.baseRef}/pr-${pull.number}-${head.sha}`;
    const commit = repo.store.pushCommit(branch, `Merge pull request #${pull.number}`, changes, baseSha);
    const group: MergeGroupState = {
      headSha: commit.sha,
      headRef: `refs/heads/${branch}`,
      baseSha,
      baseRef: `refs/heads/${pull.baseRef}`,
      pullNumber: pull.number,
    };
    repo.mergeGroups.push(group);
    const fields = {
      merge_group: {
        head_sha: group.headSha,
        head_ref: group.headRef,
        base_sha: group.baseSha,
        base_ref: group.baseRef,
        head_commit: {
          id: commit.sha,
          tree_id: commit.treeSha,
          message: commit.message,
          timestamp: commit.author.date,
          author: { name: commit.author.name, email: commit.author.email },
          committer: { name: commit.author.name, email: commit.author.email },
        },
      },
      sender: userJson(this.ownerOf(repo), this.urls),
    };
    const delivery = await this.deliver(repo, { event: 'merge_group', action: 'checks_requested', fields });
    return { group, delivery };
  }

  addIssueComment(repo: RepositoryState, issueNumber: number, user: SimUser, body: string): IssueCommentState {
    const timestamp = this.now();
    const comment: IssueCommentState = {
      id: this.newId(),
      issueNumber,
      body,
      user,
      createdAt: timestamp,
      updatedAt: timestamp,
      minimized: null,
      reactions: [],
    };
    repo.issueComments.push(comment);
    return comment;
  }

  issueCommentFields(
    repo: RepositoryState,
    pull: PullRequestState,
    comment: IssueCommentState,
  ): Record<string, unknown> {
    const pullJson = this.pullJson(repo, pull);
    return {
      issue: {
        url: pullJson.issue_url,
        html_url: pullJson.html_url,
        id: pull.id,
        node_id: pullJson.node_id,
        number: pull.number,
        title: pull.title,
        user: userJson(pull.user, this.urls),
        labels: [],
        state: pull.state,
        locked: false,
        assignee: null,
        assignees: [],
        milestone: null,
        comments: repo.issueComments.filter((c) => c.issueNumber === pull.number).length,
        created_at: pull.createdAt,
        updated_at: pull.updatedAt,
        closed_at: null,
        author_association: 'CONTRIBUTOR',
        body: pull.body,
        pull_request: {
          url: pullJson.url,
          html_url: pullJson.html_url,
          diff_url: pullJson.diff_url,
          patch_url: pullJson.patch_url,
          merged_at: null,
        },
      },
      comment: issueCommentJson(repo, comment, this.urls),
      sender: userJson(comment.user, this.urls),
    };
  }

  /**
   * Delivers one webhook now. `options.signature` forges the signature header. Resolves with
   * the delivery (undefined when the app did not subscribe to the event).
   */
  async deliver(
    repo: RepositoryState,
    { event, action, fields, merge = [] }: WebhookEvent,
    options: DeliveryOptions = {},
  ): Promise<Delivery | undefined> {
    if (!this.events.has(event)) return undefined;
    const payload = buildPayload(
      event,
      action,
      {
        ...fields,
        repository: repositoryJson(repo, this.ownerOf(repo), this.urls),
        installation: {
          id: repo.installationId,
          node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${repo.installationId}`,
        },
      },
      merge,
    );
    return this.send(repo.installationId, event, payload, options);
  }

  /** Sends an earlier delivery again with the same payload and delivery id, as GitHub's "Redeliver" does. */
  async redeliver(delivery: Delivery): Promise<Delivery> {
    return this.send(delivery.installationId, delivery.event, delivery.payload, {
      deliveryId: delivery.id,
      redelivery: true,
    });
  }

  /**
   * `POST /app/hook/deliveries/{id}/attempts`: GitHub accepts the request at once and sends the
   * delivery again in the background.
   */
  requestRedelivery(attemptId: number): boolean {
    const delivery = this.deliveries.find((candidate) => candidate.attemptId === attemptId);
    if (!delivery) return false;
    const sent = this.redeliver(delivery);
    this.pendingDeliveries.add(sent);
    void sent.finally(() => this.pendingDeliveries.delete(sent));
    return true;
  }

  private async send(
    installationId: number,
    event: string,
    payload: Record<string, unknown>,
    options: DeliveryOptions,
  ): Promise<Delivery> {
    if (!this.webhookUrl) throw new Error('no webhook URL: start the app and set simulator.webhookUrl first');
    const receiver = { url: this.webhookUrl, secret: this.options.webhookSecret, installationId };
    const sent = await sendWebhook(receiver, { event, payload }, options);
    const delivery = { ...sent, attemptId: this.deliveries.length + 1, redelivery: options.redelivery === true };
    this.deliveries.push(delivery);
    if (delivery.status < 200 || delivery.status >= 300)
      this.log(
        `webhook ${event}.${delivery.action} ${delivery.id} answered ${delivery.status}: ${delivery.response.slice(0, 200)}`,
      );
    return delivery;
  }

  async settleDeliveries(): Promise<void> {
    while (this.pendingDeliveries.size > 0) await Promise.allSettled([...this.pendingDeliveries]);
  }

  checkRuns(repo: RepositoryState, headSha?: string): CheckRunState[] {
    return repo.checkRuns.filter((run) => !headSha || run.headSha === headSha);
  }

  reviews(repo: RepositoryState, pull: PullRequestState): ReviewState[] {
    return repo.reviews.filter((review) => review.pullNumber === pull.number);
  }

  reviewComments(repo: RepositoryState, pull: PullRequestState): ReviewCommentState[] {
    return repo.reviewComments.filter((comment) => comment.pullNumber === pull.number);
  }

  issueComments(repo: RepositoryState, pull: PullRequestState): IssueCommentState[] {
    return repo.issueComments.filter((comment) => comment.issueNumber === pull.number);
  }

  /** Calls recorded after index `since` (use `calls.length` as a bookmark). */
  callsSince(since: number): RecordedCall[] {
    return this.calls.slice(since);
  }

  /** Polls until `condition` holds; fails with `description` and the last calls after `timeoutMs`. */
  async waitFor(description: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        const recent = this.calls
          .slice(-15)
          .map((call) => `${call.method} ${call.path} → ${call.status}`)
          .join('\n  ');
        const rejected = this.rejections
          .map((r) => `${r.method} ${r.path} → ${r.status} ${r.message} ${JSON.stringify(r.errors)}`)
          .join('\n  ');
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${description}\nlast calls:\n  ${recent || '(none)'}\nrejections:\n  ${rejected || '(none)'}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once no API call has arrived for `quietMs` (the app has gone idle). */
  async waitForQuiet(quietMs = 1500, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = this.calls.length;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs) {
      if (Date.now() > deadline) throw new Error(`the app did not go quiet within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (this.calls.length !== seen || this.pendingDeliveries.size > 0) {
        seen = this.calls.length;
        quietSince = Date.now();
      }
    }
  }

  // ---- HTTP ----

  /** Records and logs a request GitHub would refuse. */
  recordRejection(rejection: Rejection): void {
    this.rejections.push(rejection);
    const details = rejection.errors.length > 0 ? ` ${JSON.stringify(rejection.errors)}` : '';
    this.log(`${rejection.method} ${rejection.path} → ${rejection.status} ${rejection.message}${details}`);
  }

  private authenticate(
    request: IncomingMessage,
    template: string,
  ): { actor: SimUser | undefined; installationId: number | undefined } {
    const header = request.headers.authorization ?? '';
    const [scheme, credential] = header.split(' ');
    const needsJwt = template.startsWith('/app') || template === '/repos/{owner}/{repo}/installation';
    if (!credential) throw new ApiError(401, 'Requires authentication');
    if (needsJwt) {
      if (scheme?.toLowerCase() !== 'bearer') throw new ApiError(401, 'A JSON web token could not be decoded');
      try {
        verifyAppJwt(credential, this.appId, this.publicKey);
      } catch (error) {
        if (error instanceof AuthenticationError) throw new ApiError(401, error.message);
        throw error;
      }
      return { actor: undefined, installationId: undefined };
    }
    const token = this.tokens.get(credential);
    if (!token || token.expiresAt < Date.now()) throw new ApiError(401, 'Bad credentials');
    return { actor: this.bot, installationId: token.installationId };
  }

  /** Refuses content creation beyond GitHub's secondary limits, as GitHub does: 403 with `retry-after`. */
  private countContentCreation(installationId: number): void {
    const now = Date.now();
    const recent = (this.contentCreations.get(installationId) ?? []).filter((at) => now - at < 3_600_000);
    for (const limit of CONTENT_CREATION_LIMITS) {
      if (recent.filter((at) => now - at < limit.windowMs).length >= limit.max) {
        throw new ApiError(
          403,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          [],
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          { 'retry-after': String(Math.ceil(limit.windowMs / 1000)) },
        );
      }
    }
    recent.push(now);
    this.contentCreations.set(installationId, recent);
  }

  private async readBody(request: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (chunks.length === 0) return undefined;
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(400, 'Problems parsing JSON');
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${this.host}`);
    const method = (request.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api\/graphql$/, '/graphql');
    // Octokit encodes `/` inside `{path}`; the record shows the path GitHub would log.
    const shownPath = path.replace(/%2F/gi, '/');
    const call: RecordedCall = {
      method,
      path: shownPath,
      query: url.search,
      route: undefined,
      status: 0,
      at: Date.now(),
    };
    this.calls.push(call);
    let result: ApiResponse;
    try {
      const body = await this.readBody(request);
      result = await this.dispatch({ method, path, url, body, request }, call);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // A 404 for something that does not exist is an answer, not a refusal; an unknown route is a refusal.
      if (error.status !== 404 || call.route === undefined) {
        this.recordRejection({
          method,
          path: shownPath,
          status: error.status,
          message: error.message,
          errors: error.errors,
        });
      }
      result = { status: error.status, body: error.toJson(), headers: error.headers };
    }
    call.status = result.status;
    const headers: Record<string, string> = {
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(5000 - this.calls.length, 0)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-github-request-id': `SIM:${this.calls.length}`,
      ...result.headers,
    };
    if (result.raw) {
      response.writeHead(result.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      response.end(result.raw);
    } else if (result.status === 204 || result.body === undefined) {
      response.writeHead(result.status, headers);
      response.end();
    } else {
      response.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(result.body));
    }
  }

  private async dispatch(incoming: IncomingRequest, call: RecordedCall): Promise<ApiResponse> {
    const { method, path, url, body, request } = incoming;
    if (path === '/graphql' && method === 'POST') {
      call.route = '/graphql';
      const { actor, installationId } = this.authenticate(request, '/graphql');
      return graphqlHandler(this, body, { actor: actor!, installationId: installationId! }, call);
    }
    const route = this.validator.match(method, path);
    if (!route) throw new ApiError(404, 'Not Found');
    call.route = route.template;
    const auth = this.authenticate(request, route.template);
    const violation = this.validator.validate(method, route.template, url.searchParams, body);
    if (violation) throw new ApiError(422, violation.message, violation.errors);
    if (auth.installationId !== undefined && CONTENT_CREATION_ROUTES.has(`${method} ${route.template}`))
      this.countContentCreation(auth.installationId);
    const handler = this.handlers.get(`${method} ${route.template}`);
    if (!handler) {
      throw new ApiError(
        501,
        `the simulator does not model ${method} ${route.template} (${route.operationId}); add it to dev/github-sim/routes.ts`,
      );
    }
    const apiRequest: ApiRequest = {
      method,
      template: route.template,
      params: route.params,
      query: url.searchParams,
      body,
      headers: request.headers,
      actor: auth.actor,
      installationId: auth.installationId,
      url,
    };
    return handler(apiRequest);
  }
}
