import { join } from 'node:path';
import { ModelThreadStoppedError, OnnxWorker, onnxSessionOptions } from '../../../../activities/retrieval/onnx-worker';

interface EchoReply {
  id: number;
  value?: string;
  threadId: number;
  error?: string;
}

const script = join(__dirname, '..', '..', '..', 'fakes', 'exiting-model-worker.cjs');

describe('onnxSessionOptions', () => {
  it("keeps onnxruntime's intra-op threads from spinning, so they leave the cores to the server and workflows", () => {
    expect(onnxSessionOptions(2).extra).toEqual({ session: { intra_op: { allow_spinning: '0' } } });
  });
});

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

  it('waits longer before each restart of a thread that keeps crashing, and forgets once one answers', async () => {
    let clock = 0;
    const restarts = { firstDelayMs: 1_000, maxDelayMs: 60_000, now: () => clock };
    const worker = OnnxWorker.start<EchoReply>(script, '/no/model.onnx', 'test', 1, {}, restarts);
    try {
      await expect(worker.request({ exit: true }, [])).rejects.toThrow('test worker exited');
      // One crash: the next request starts a thread at once (and this one crashes it too).
      await expect(worker.request({ exit: true }, [])).rejects.toThrow('test worker exited');
      await expect(worker.request({ value: 'a' }, [])).rejects.toThrow(/crashed 2 times in a row; next start in 1 s/);
      clock += 1_000;
      await expect(worker.request({ exit: true }, [])).rejects.toThrow('test worker exited');
      clock += 1_000;
      await expect(worker.request({ value: 'a' }, [])).rejects.toThrow(/crashed 3 times in a row; next start in 1 s/);
      clock += 1_000;
      expect((await worker.request({ value: 'b' }, [])).value).toBe('b');
      // An answer resets the count: a single crash is again restarted at the next request.
      await expect(worker.request({ exit: true }, [])).rejects.toThrow('test worker exited');
      expect((await worker.request({ value: 'c' }, [])).value).toBe('c');
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
