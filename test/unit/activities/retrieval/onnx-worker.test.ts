import { join } from 'node:path';
import { ModelThreadStoppedError, OnnxWorker } from '../../../../activities/retrieval/onnx-worker';

interface EchoReply {
  id: number;
  value?: string;
  threadId: number;
  error?: string;
}

const script = join(__dirname, '..', '..', '..', 'fakes', 'exiting-model-worker.cjs');

describe('OnnxWorker', () => {
  it('fails the request a crashed thread was answering, and starts a new thread for the next', async () => {
    const worker = OnnxWorker.start<EchoReply>(script, '/no/model.onnx', 'test');
    try {
      const first = await worker.request({ value: 'a' }, []);
      expect(first.value).toBe('a');
      await expect(worker.request({ exit: true }, [])).rejects.toThrow(ModelThreadStoppedError);
      const after = await worker.request({ value: 'b' }, []);
      expect(after.value).toBe('b');
      expect(after.threadId).not.toBe(first.threadId);
    } finally {
      await worker.close();
    }
  });

  it('refuses requests at once after close, without starting a thread', async () => {
    const worker = OnnxWorker.start<EchoReply>(script, '/no/model.onnx', 'test');
    await worker.request({ value: 'a' }, []);
    await worker.close();
    await expect(worker.request({ value: 'b' }, [])).rejects.toThrow('test model unavailable: closed');
  });
});
