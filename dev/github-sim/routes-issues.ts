import type { IssueCommentState, ReactionState, RepositoryState } from './entities.js';
import { json, notFound, paginate, unprocessable, type ApiRequest, type ApiResponse } from './http.js';
import { issueCommentJson, reactionJson } from './serialize.js';
import { editOwnComment, reviewCommentOf } from './routes-review-comments.js';
import { checkBodyLength, routeSupport, type Body, type Register } from './route-support.js';
import type { SimContext } from './context.js';

const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];

function issueCommentOf(repo: RepositoryState, request: ApiRequest): IssueCommentState {
  const comment = repo.issueComments.find((candidate) => candidate.id === Number(request.params.comment_id));
  if (!comment) throw notFound();
  return comment;
}

/** A reaction by the caller; the same one again is answered with the existing reaction. */
function addReaction(sim: SimContext, reactions: ReactionState[], request: ApiRequest): ApiResponse {
  const content = String((request.body as Body).content);
  if (!REACTIONS.includes(content))
    throw unprocessable('Validation Failed', [{ resource: 'Reaction', field: 'content', code: 'invalid' }]);
  const user = routeSupport(sim).actorOf(request);
  const existing = reactions.find((reaction) => reaction.content === content && reaction.user.login === user.login);
  if (existing) return json(reactionJson(existing, sim.urls), 200);
  const reaction: ReactionState = { id: sim.newId(), content, user, createdAt: sim.now() };
  reactions.push(reaction);
  return json(reactionJson(reaction, sim.urls), 201);
}

/** Comments in a pull request's conversation. */
export function issueCommentRoutes(sim: SimContext, on: Register): void {
  const { repoOf, actorOf, requireWrite } = routeSupport(sim);
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
    sim.emit(repo, {
      event: 'issue_comment',
      action: 'created',
      fields: sim.issueCommentFields(repo, pull, comment),
      merge: ['issue', 'comment'],
    });
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
      issueCommentJson(repo, editOwnComment(sim, issueCommentOf(repo, request), request, 'IssueComment'), sim.urls),
    );
  });
}

/** Reactions on both kinds of comment, and who may do what in a repository. */
export function reactionAndCollaboratorRoutes(sim: SimContext, on: Register): void {
  const { repoOf, requireWrite } = routeSupport(sim);
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
      return addReaction(sim, target.find(repo, request).reactions, request);
    });
    on(`GET ${template}`, (request) => {
      const repo = repoOf(request);
      return paginate(
        request,
        target.find(repo, request).reactions.map((reaction) => reactionJson(reaction, sim.urls)),
      );
    });
  }

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
}
