import { buildWorkflowBundle } from './workflow-bundle';

export default async function globalSetup(): Promise<void> {
  await buildWorkflowBundle();
}
