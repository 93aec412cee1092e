import { skipPromiseHook } from '../../../workers/workflow-stack-traces.cjs';

// The SDK module the setting reaches into: test/workflows/workflow-stack-traces.test.ts checks the effect on a
// real worker; here, that an SDK whose handlers look different is left alone (and reported by the caller).
describe('skipPromiseHook (SLUICE_WORKFLOW_STACK_TRACES=off)', () => {
  it('replaces the hook of handlers not yet installed', () => {
    const original = jest.fn();
    const vmShared = { globalHandlers: { installed: false, setPromiseHook: original } };
    expect(skipPromiseHook(vmShared)).toBe(true);
    vmShared.globalHandlers.setPromiseHook();
    expect(original).not.toHaveBeenCalled();
  });

  it.each([
    ['no module', undefined],
    ['no global handlers', {}],
    ['no setPromiseHook', { globalHandlers: { installed: false } }],
    ['handlers already installed', { globalHandlers: { installed: true, setPromiseHook: (): void => undefined } }],
    ['no installed flag', { globalHandlers: { setPromiseHook: (): void => undefined } }],
  ])('leaves an SDK of another shape alone: %s', (_, vmShared) => {
    expect(skipPromiseHook(vmShared)).toBe(false);
  });

  it('the installed SDK has the shape it expects', () => {
    type VmShared = { globalHandlers: Record<string, unknown> };
    const vmShared = require('@temporalio/worker/lib/workflow/vm-shared') as VmShared;
    expect(typeof vmShared.globalHandlers.setPromiseHook).toBe('function');
    expect(vmShared.globalHandlers.installed).toBe(false);
  });
});
