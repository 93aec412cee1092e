// Response bodies and server-sent events in the OpenAI and Anthropic wire formats, as the
// real APIs send them (field names, event order, usage in the last OpenAI chunk).

export interface Reply {
  model: string;
  text: string;
  inputTokens: number;
}

/** Completion tokens the fake reports for a reply: its words. */
export const outputTokensOf = (text: string): number => text.split(/\s+/).filter(Boolean).length;
/** Splits text into word-sized deltas, keeping the spaces. */
const deltasOf = (text: string): string[] => text.match(/\S+\s*/g) ?? [''];
const sse = (data: unknown, event?: string): string => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

export function openAICompletion(reply: Reply): unknown {
  return {
    id: 'chatcmpl-fake', object: 'chat.completion', created: 1_700_000_000, model: reply.model,
    choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: reply.inputTokens, completion_tokens: outputTokensOf(reply.text), total_tokens: reply.inputTokens + outputTokensOf(reply.text) },
  };
}

export function openAIStream(reply: Reply): string[] {
  const chunk = (choices: unknown[], usage: unknown = null) => sse({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: reply.model, choices, usage });
  return [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    ...deltasOf(reply.text).map((delta) => chunk([{ index: 0, delta: { content: delta }, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    chunk([], { prompt_tokens: reply.inputTokens, completion_tokens: outputTokensOf(reply.text), total_tokens: reply.inputTokens + outputTokensOf(reply.text) }),
    'data: [DONE]\n\n',
  ];
}

export function anthropicMessage(reply: Reply): unknown {
  return {
    id: 'msg_fake', type: 'message', role: 'assistant', model: reply.model, content: [{ type: 'text', text: reply.text }],
    stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: reply.inputTokens, output_tokens: outputTokensOf(reply.text) },
  };
}

export function anthropicStream(reply: Reply): string[] {
  return [
    sse({ type: 'message_start', message: { id: 'msg_fake', type: 'message', role: 'assistant', model: reply.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: reply.inputTokens, output_tokens: 1 } } }, 'message_start'),
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    sse({ type: 'ping' }, 'ping'),
    ...deltasOf(reply.text).map((delta) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: delta } }, 'content_block_delta')),
    sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokensOf(reply.text) } }, 'message_delta'),
    sse({ type: 'message_stop' }, 'message_stop'),
  ];
}
