// Loaded by path (`failureConverterPath`) so the workflow sandbox and the worker use the same one: failure
// messages and stack traces travel in an encoded payload, which the codec then encrypts, because an error
// can quote what it failed on.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
