/** The worker's `workflowsPath`: every workflow, listed by name. */
export { sweepWorkflow } from './sweep.js';
export { trialWorkflow } from './trial.js';
export { tournamentWorkflow } from './tournament.js';
export { evaluationWorkflow } from './evaluate.js';
