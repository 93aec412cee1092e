import { workflowInfo } from '@temporalio/workflow';
import * as workflows from '../../../workflows';
import { versioningBehaviors, workflowVersioning } from '../../../contracts/worker-deployment';
import { workflowTypes } from '../../../contracts/workflow-types';

// The SDK reads a workflow's options in the sandbox when it loads a run; here workflowInfo is faked instead.
jest.mock('@temporalio/workflow', () => ({ ...jest.requireActual('@temporalio/workflow'), workflowInfo: jest.fn() }));

// With worker versioning on, the behaviour a workflow type declares decides whether its running executions stay
// on their build or move to the next one; a type that forgot would silently take the worker default instead. On an
// unversioned worker it must declare nothing: the SDK fails every workflow task that names a behaviour there.
describe('the versioning behaviour of each workflow type', () => {
  type Options = { versioningBehavior?: string };
  const declared = (name: string, version?: { deploymentName: string; buildId: string }): Options | undefined => {
    jest.mocked(workflowInfo).mockReturnValue({ currentDeploymentVersion: version } as ReturnType<typeof workflowInfo>);
    const options = (workflows as Record<string, { workflowDefinitionOptions?: Options | (() => Options) }>)[name]
      ?.workflowDefinitionOptions;
    return typeof options === 'function' ? options() : options;
  };
  const versioned = { deploymentName: 'sluice', buildId: 'build-7' };

  it.each(Object.entries(workflowTypes))('%s (%s) declares the behaviour of contracts/worker-deployment.ts',
    (key, name) => {
      expect(typeof (workflows as Record<string, unknown>)[name]).toBe('function');
      const behavior = workflowVersioning[key as keyof typeof workflowTypes];
      expect(declared(name, versioned)).toEqual({ versioningBehavior: behavior });
    });

  it.each(Object.values(workflowTypes))('%s declares nothing when loaded by an unversioned worker', (name) => {
    expect(declared(name)).toEqual({});
    // An unversioned TypeScript worker has a build id of its own, but no deployment.
    expect(declared(name, { deploymentName: '', buildId: '@temporalio/worker@1.24.0+0123abcd' })).toEqual({});
  });

  it('every exported workflow is a named workflow type, so none escapes the table', () => {
    expect(Object.keys(workflows).sort()).toEqual(Object.values(workflowTypes).sort());
  });

  it('pins the runs that wait for people, and lets the for-ever ledger move with each build', () => {
    expect(declared(workflowTypes.answer, versioned)).toEqual({ versioningBehavior: versioningBehaviors.pinned });
    expect(declared(workflowTypes.ingest, versioned)).toEqual({ versioningBehavior: versioningBehaviors.pinned });
    expect(declared(workflowTypes.budget, versioned)).toEqual({ versioningBehavior: versioningBehaviors.autoUpgrade });
  });
});
