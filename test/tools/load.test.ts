import { describe, expect, test } from '@jest/globals';
import { MarkerKey, withState } from '../../src/report/markers.js';
import { auditPullRequests, type PullRequestOutcome } from '../../tools/load/audit.js';
import { percentile } from '../../tools/load/report.js';

const run = (headSha: string, status: string, conclusion: string | null = null, name = 'Warden') => ({
  name,
  headSha,
  status,
  conclusion,
});
const key = new MarkerKey('load-test-secret');
const comment = (fingerprint: string) =>
  withState('Shell command built by concatenation.', { fingerprint, rule: 'sql-injection' }, key);

function outcome(overrides: Partial<PullRequestOutcome>): PullRequestOutcome {
  return {
    label: 'org/repo#1',
    latestHead: 'bbbbbbb1',
    checkRuns: [run('bbbbbbb1', 'completed', 'failure')],
    reviewCommentBodies: [comment('abc123')],
    ...overrides,
  };
}

describe('auditPullRequests', () => {
  test('accepts superseded runs on older heads when the latest head has one completed run', () => {
    const audit = auditPullRequests(
      [outcome({ checkRuns: [run('aaaaaaa1', 'completed', 'neutral'), run('bbbbbbb1', 'completed', 'failure')] })],
      'Warden',
      key,
    );
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.conclusions).toEqual(new Map([['failure', 1]]));
  });

  test('reports a latest head whose run never completed as lost', () => {
    const audit = auditPullRequests(
      [outcome({ checkRuns: [run('bbbbbbb1', 'in_progress'), run('bbbbbbb1', 'completed', 'failure', 'Other app')] })],
      'Warden',
      key,
    );
    expect(audit.lost).toEqual(['org/repo#1: head bbbbbbb has in_progress']);
    expect(audit.headsWithoutRun).toBe(1);
  });

  test('reports a pull request whose finding was never posted as lost', () => {
    const audit = auditPullRequests([outcome({ reviewCommentBodies: ['a comment without a marker'] })], 'Warden', key);
    expect(audit.lost).toEqual(['org/repo#1: no review comment carries the finding']);
    expect(audit.headsWithoutRun).toBe(0);
  });

  test('reports two runs on the latest head and a fingerprint posted twice as doubled', () => {
    const audit = auditPullRequests(
      [
        outcome({
          checkRuns: [run('bbbbbbb1', 'completed', 'failure'), run('bbbbbbb1', 'completed', 'failure')],
          reviewCommentBodies: [comment('abc123'), comment('def456'), comment('abc123')],
        }),
      ],
      'Warden',
      key,
    );
    expect(audit.doubled).toEqual([
      'org/repo#1: head bbbbbbb has completed/failure, completed/failure',
      'org/repo#1: fingerprint abc123 posted more than once',
    ]);
    expect(audit.lost).toEqual([]);
  });
});

describe('percentile', () => {
  test('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
