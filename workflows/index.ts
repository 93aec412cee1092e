// The workflow bundle's entry point: every exported function is a workflow type.
export { answerWorkflow } from './answer-workflow';
export { backtestGatesWorkflow } from './backtest-gates-workflow';
export { ingestWorkflow } from './ingest-workflow';
export { ingestBatchWorkflow } from './ingest-batch-workflow';
export { deleteDocumentsWorkflow } from './ingest-delete-workflow';
export { generateWorkflow } from './generate-workflow';
export { recordFeedbackWorkflow, feedbackReportWorkflow } from './feedback-workflows';
export { budgetWorkflow } from './budget-workflow';
