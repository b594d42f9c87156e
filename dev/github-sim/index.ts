export {
  GitHubSimulator,
  INSTALLATION_PERMISSIONS,
  type RecordedCall,
  type Rejection,
  type SimulatorOptions,
} from './simulator.js';
export type {
  CheckRunState,
  IssueCommentState,
  MergeGroupState,
  PullRequestState,
  RepositoryState,
  ReviewCommentState,
  ReviewState,
  Permission,
} from './entities.js';
export { LIMITS } from './routes.js';
export { BLOB_TEXT_LIMIT } from './graphql-api.js';
export { OpenApiValidator } from './openapi.js';
export { signatureFor, type Delivery } from './webhooks.js';
export { KNOWN_ADVISORIES, type SimAdvisory } from './advisories.js';
