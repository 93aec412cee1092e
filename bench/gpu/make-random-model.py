"""Builds a Llama-architecture model with random weights and a BPE tokenizer, for throughput
measurements on a GPU host that has no network and no weights. Tokens/s depends on the shapes,
not on the values of the weights, so this measures serving speed honestly; the text is noise.

Usage: python3 make-random-model.py OUTPUT_DIR [--size 1b|8b]
"""
import argparse
import glob
import os

import torch
from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

SHAPES = {
    # TinyLlama-1.1B's shapes.
    "1b": dict(hidden_size=2048, intermediate_size=5632, num_hidden_layers=22, num_attention_heads=32, num_key_value_heads=4),
    # Llama-3-8B's shapes.
    "8b": dict(hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8),
}
CHAT_TEMPLATE = "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}"


def train_tokenizer(vocab_size: int) -> PreTrainedTokenizerFast:
    # Any sizeable text works for a byte-level BPE; the Python sources installed here are at hand.
    files = sorted(glob.glob(os.path.join(os.path.dirname(torch.__file__), "**", "*.py"), recursive=True))[:3000]
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<s>", "</s>", "<unk>"])
    tokenizer.train(files, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", unk_token="<unk>", chat_template=CHAT_TEMPLATE)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--size", choices=sorted(SHAPES), default="1b")
    args = parser.parse_args()
    tokenizer = train_tokenizer(32000)
    config = LlamaConfig(vocab_size=len(tokenizer), max_position_embeddings=4096, bos_token_id=0, eos_token_id=1, torch_dtype="bfloat16", **SHAPES[args.size])
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = LlamaForCausalLM(config).to(torch.bfloat16)
    model.save_pretrained(args.output)
    tokenizer.save_pretrained(args.output)
    print(f"saved {sum(p.numel() for p in model.parameters()) / 1e9:.2f}B parameters to {args.output}")


if __name__ == "__main__":
    main()
