import type { RepositoryStore } from './git-store.js';

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface SimUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface MinimizedState {
  reason: string;
}

export interface PullRequestState {
  number: number;
  id: number;
  title: string;
  body: string;
  user: SimUser;
  headRef: string;
  baseRef: string;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunState {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  /** How many create/update requests carried annotations, and the most in one. */
  annotationRequests: number[];
}

export interface ReviewState {
  id: number;
  pullNumber: number;
  user: SimUser;
  body: string;
  state: 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
  commitId: string;
  submittedAt: string | null;
}

export interface ReactionState {
  id: number;
  content: string;
  user: SimUser;
  createdAt: string;
}

export interface ReviewCommentState {
  id: number;
  reviewId: number;
  pullNumber: number;
  path: string;
  line: number;
  startLine: number | null;
  side: 'LEFT' | 'RIGHT';
  startSide: 'LEFT' | 'RIGHT' | null;
  body: string;
  commitId: string;
  diffHunk: string;
  user: SimUser;
  inReplyToId: number | null;
  createdAt: string;
  updatedAt: string;
  minimized: MinimizedState | null;
  reactions: ReactionState[];
  /** On the comment that opened a thread: who resolved the thread, while it is resolved. */
  resolvedBy: SimUser | null;
}

export interface IssueCommentState {
  id: number;
  issueNumber: number;
  body: string;
  user: SimUser;
  createdAt: string;
  updatedAt: string;
  minimized: MinimizedState | null;
  reactions: ReactionState[];
}

/** A merge queue's group: the queued pull request's changes on top of the base branch, on a branch of its own. */
export interface MergeGroupState {
  headSha: string;
  /** `refs/heads/gh-readonly-queue/<base>/pr-<n>-<head sha>` */
  headRef: string;
  baseSha: string;
  baseRef: string;
  pullNumber: number;
}

export interface RepositoryState {
  id: number;
  store: RepositoryStore;
  installationId: number;
  permissions: Map<string, Permission>;
  pulls: Map<number, PullRequestState>;
  checkRuns: CheckRunState[];
  reviews: ReviewState[];
  reviewComments: ReviewCommentState[];
  issueComments: IssueCommentState[];
  mergeGroups: MergeGroupState[];
  nextIssueNumber: number;
}

/** GitHub's global node ids: a type prefix and the database id, so `node(id:)` finds things. */
export function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;
}

export function parseNodeId(id: string): { prefix: string; databaseId: number } | undefined {
  const match = /^([A-Z]+)_kwDO([A-Za-z0-9_-]+)$/.exec(id);
  if (!match) return undefined;
  const [prefix, databaseId] = Buffer.from(match[2], 'base64url').toString('utf8').split(':');
  if (prefix !== match[1] || !databaseId || !/^\d+$/.test(databaseId)) return undefined;
  return { prefix, databaseId: Number(databaseId) };
}

export const NODE_PREFIX = {
  user: 'U',
  bot: 'BOT',
  repository: 'R',
  pullRequest: 'PR',
  review: 'PRR',
  reviewComment: 'PRRC',
  reviewThread: 'PRRT',
  issueComment: 'IC',
  checkRun: 'CR',
} as const;
