"""Write a tiny random-weight llama-architecture GGUF model, for a real engine served offline.

No weights are downloaded: every tensor is drawn from a seeded generator, and the vocabulary
is made here (``<unk>``, ``<s>``, ``</s>``, the 256 byte tokens llama.cpp's SentencePiece
tokenizer falls back on, and ``▁w0 … ▁wN`` words). The output rows of the special and byte
tokens are zero, so greedy decoding picks a word token every step and never ``</s>``: each
request generates exactly ``max_tokens`` whole-word tokens (valid UTF-8 at every step). It
says nothing about a model's quality; it makes llama.cpp do real inference work per token.

Needs the ``gguf`` package (``pip install gguf``). Run:
``python benchmarks/tiny_gguf.py /tmp/tiny.gguf [--layers 2 --embd 64 --words 200]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def vocabulary(words: int) -> tuple[list[str], list[int]]:
    """Tokens and their types (gguf.TokenType values).

    >>> tokens, types = vocabulary(2)
    >>> tokens[:3], tokens[3], tokens[-2:], len(tokens), types[:4], types[-1]
    (['<unk>', '<s>', '</s>'], '<0x00>', ['▁w0', '▁w1'], 261, [2, 3, 3, 6], 1)
    """
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [2, 3, 3] + [6] * 256
    tokens += [f"▁w{i}" for i in range(words)]
    types += [1] * words
    return tokens, types


def write(path: Path, *, layers: int = 2, embd: int = 64, heads: int = 4, ff: int = 128,
          words: int = 200, context: int = 1024, seed: int = 0) -> Path:
    """Write the model to ``path`` (f32 tensors); returns ``path``."""
    import gguf

    tokens, types = vocabulary(words)
    vocab = len(tokens)
    rng = np.random.default_rng(seed)

    def weight(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("modelbench-tiny-random")
    writer.add_context_length(context)
    writer.add_embedding_length(embd)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_rope_dimension_count(embd // heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * 3 + [-1000.0] * 256 + [-float(i) for i in range(words)])
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    # ggml's ne is numpy's shape reversed: a [n_embd, n_vocab] tensor is (n_vocab, n_embd)
    writer.add_tensor("token_embd.weight", weight(vocab, embd, scale=1.0))
    writer.add_tensor("output_norm.weight", np.ones(embd, dtype=np.float32))
    output = weight(vocab, embd, scale=1.0)
    output[: 3 + 256] = 0.0  # specials and bytes are never the argmax: words only
    writer.add_tensor("output.weight", output)
    for i in range(layers):
        block = f"blk.{i}"
        writer.add_tensor(f"{block}.attn_norm.weight", np.ones(embd, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{block}.{name}.weight", weight(embd, embd))
        writer.add_tensor(f"{block}.ffn_norm.weight", np.ones(embd, dtype=np.float32))
        writer.add_tensor(f"{block}.ffn_gate.weight", weight(ff, embd))
        writer.add_tensor(f"{block}.ffn_up.weight", weight(ff, embd))
        writer.add_tensor(f"{block}.ffn_down.weight", weight(embd, ff))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--embd", type=int, default=64)
    parser.add_argument("--words", type=int, default=200)
    args = parser.parse_args()
    out = write(args.path, layers=args.layers, embd=args.embd, words=args.words)
    print(f"{out} ({out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
