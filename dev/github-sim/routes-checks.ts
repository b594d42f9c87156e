import type { CheckRunState, RepositoryState } from './entities.js';
import { json, notFound, paginate, unprocessable, type ApiRequest } from './http.js';
import { userJson } from './serialize.js';
import { LIMITS, routeSupport, tooLong, type Body, type Register } from './route-support.js';
import type { SimContext } from './context.js';

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

/** Applies a create or update request to the run; `now` completes a run that gives no completion time. */
function applyCheckRunFields(
  run: CheckRunState,
  body: Body,
  annotations: Record<string, unknown>[],
  now: string,
): void {
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
    run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : (run.completedAt ?? now);
  const output = body.output as Body | undefined;
  if (output) {
    if (output.title !== undefined) run.output.title = output.title as string;
    if (output.summary !== undefined) run.output.summary = output.summary as string;
    if (output.text !== undefined) run.output.text = output.text as string;
    run.annotations.push(...annotations);
  }
  if (body.actions) run.actions = body.actions as Body[];
}

function checkRunOf(repo: RepositoryState, request: ApiRequest): CheckRunState {
  const run = repo.checkRuns.find((candidate) => candidate.id === Number(request.params.check_run_id));
  if (!run) throw notFound();
  return run;
}

/** Check runs: create, update (with GitHub's limits on output, annotations and actions), list. */
export function checkRunRoutes(sim: SimContext, on: Register): void {
  const { repoOf, commitOf, requireWrite } = routeSupport(sim);
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
    applyCheckRunFields(run, body, annotations, sim.now());
    repo.checkRuns.push(run);
    const response = sim.checkRunJson(repo, run);
    sim.emit(repo, {
      event: 'check_run',
      action: 'created',
      fields: { check_run: response, sender: userJson(sim.bot, sim.urls) },
    });
    if (run.status === 'completed')
      sim.emit(repo, {
        event: 'check_run',
        action: 'completed',
        fields: { check_run: response, sender: userJson(sim.bot, sim.urls) },
      });
    return json(response, 201);
  });

  on('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', (request) => {
    const repo = repoOf(request);
    requireWrite('checks');
    const run = checkRunOf(repo, request);
    const body = request.body as Body;
    requireConclusion(run, body);
    validateActions(body.actions as Body[] | undefined);
    const wasCompleted = run.status === 'completed';
    const annotations = validateOutput(body.output as Body | undefined, run);
    applyCheckRunFields(run, body, annotations, sim.now());
    const response = sim.checkRunJson(repo, run);
    if (!wasCompleted && run.status === 'completed')
      sim.emit(repo, {
        event: 'check_run',
        action: 'completed',
        fields: { check_run: response, sender: userJson(sim.bot, sim.urls) },
      });
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
}
