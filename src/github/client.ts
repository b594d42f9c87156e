import type { ProbotOctokit } from 'probot';

/** An installation-authenticated Octokit with Probot's plugins (REST methods, pagination, config). */
export type GitHubClient = ProbotOctokit;

/** The repository a pull request targets; every read and write goes through it, forks included. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The part of an Octokit instance that request hooks attach to. */
export interface HookableOctokit {
  hook: {
    wrap(
      name: 'request',
      wrapper: (
        request: (options: never) => Promise<unknown>,
        options: { method: string; url?: string; query?: unknown },
      ) => Promise<unknown>,
    ): void;
  };
}
