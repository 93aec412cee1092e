// The workflow bundle's entry point: every exported function is a workflow type.
export { answerWorkflow } from './answer-workflow';
export { ingestWorkflow } from './ingest-workflow';
