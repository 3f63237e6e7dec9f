#!/usr/bin/env python3
"""PyTorch peer for the sequence models: a nanoGPT-style byte-level GPT, side by side with SimdDescent.

The model follows nanoGPT's `GPT` module (its parameter names and PyTorch `nn.Linear` [out, in]
layouts): token and learned position embeddings, pre-LayerNorm blocks x + Attn(LN(x)) then
x + MLP(LN(x)), causal multi-head self-attention with a fused QKV projection, a GELU (tanh
approximation) MLP, biases everywhere, a final LayerNorm and an output head tied to the token
embedding. Default configuration: vocabulary 256 (bytes), context 128, width 128, 4 heads, 4 blocks,
MLP 512, i.e. 842,496 parameters counting the tied matrix once. Weights start as nanoGPT's:
normal(0, 0.02) for linear and embedding weights, normal(0, 0.02 / sqrt(2 * blocks)) for both
`c_proj` weights, zero biases, LayerNorm scales 1.

Commands (all take --threads N, default 1, and the model options --context --width --heads --blocks
--mlp; run with -h for every option):

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/pytorch_gpt.py step
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/pytorch_gpt.py decode
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/pytorch_gpt.py train --output gpt.safetensors
    /usr/bin/python3 benchmarks/peers/pytorch_gpt.py sample --load gpt.safetensors --prompt "Q: "
    /usr/bin/python3 benchmarks/peers/pytorch_gpt.py export --output init.safetensors --seed 1
    /usr/bin/python3 benchmarks/peers/pytorch_gpt.py import ours.safetensors

Run it with /usr/bin/python3, Debian's interpreter that has python3-torch (1.13); the script needs
nothing beyond the standard library and PyTorch, and uses scaled_dot_product_attention where PyTorch
has it (2.x), explicit masked softmax otherwise. Debian's python3-torch does its GEMMs in OpenBLAS,
which ignores torch.set_num_threads: set OPENBLAS_NUM_THREADS=1 for one-thread figures. (When the
variable is unset, the script sets it to --threads before PyTorch loads, which has the same effect.)

step    One training step timed: forward, cross-entropy (mean over tokens), backward, gradient
        clipping to norm 1.0, AdamW (lr 1e-3, betas 0.9/0.95, weight decay 0.1 on the 2-D weights
        only, as nanoGPT groups them), batch 16, on random byte windows. After warm-up steps, prints
        the median time per step over timed blocks, tokens/s and GFLOP/s. FLOP count: nanoGPT's
        estimate_mfu, 6 N + 12 L H Q T per token, with N the parameters without the position
        embedding (get_num_params(non_embedding=True)), L blocks, H heads, Q head size, T context.
decode  Time per generated token with a preallocated key/value cache (per block, k and v buffers
        [1, heads, context, head size]; a new token costs one row of work) at prompt lengths 1 and
        100, and without a cache (a full forward over the whole prefix for each token). All prompt
        bytes but the last are prefilled untimed; each timed token is one forward of one position
        plus the choice of the next token (greedy unless --temperature/--top-k say otherwise). Prints the
        median over runs of the mean time per token, and checks that cached and uncached logits agree.
train   Trains on a byte corpus, by default the fortunes at /usr/share/games/fortunes. Category files
        are the regular files of the directory, in ordinal name order, without the *.dat and *.u8
        ones (--categories a,b keeps those, --exclude c leaves those out; --data may also name one
        file). Split by file offset: of each chosen file in that order, the first floor(0.9 * len)
        bytes go to training and the rest to validation, each concatenated in order. Each step draws
        batch windows from the training text, batch row 0 first, start = next() % (len - context) from
        the SplitMix64 generator below seeded with --seed; inputs text[s:s+T], targets text[s+1:s+T+1].
        Learning rate at step s (0-based) of S with W warm-up steps: lr * (s + 1) / W while s < W,
        then min_lr + (lr - min_lr) * (1 + cos(pi * (s - W) / (S - 1 - W))) / 2, which is min_lr at
        the last step. Validation loss: mean cross-entropy over all positions of the consecutive
        non-overlapping windows of the validation text (starts 0, T, 2T, ... while start + T + 1 <=
        len); --eval-interval N evaluates the first --eval-windows of them every N steps, the full set
        at the end. Reports nats/byte and bits/byte, the mean train loss of the last 100 steps,
        training tokens/s (evaluation excluded) and wall time; --output saves the trained model.
        Under torchrun (WORLD_SIZE, RANK set): DistributedDataParallel over a gloo process group; each
        step every rank draws world x batch windows by the rule above and trains on rows rank x batch ..
        (rank + 1) x batch - 1 of them; rank 0 alone prints, evaluates and saves. On Debian 12 (PyTorch
        1.13, Python 3.11) torchrun needs --redirects 1 --tee 1:
            torchrun --redirects 1 --tee 1 --nproc_per_node 2 benchmarks/peers/pytorch_gpt.py train
sample  Generates --tokens bytes after --prompt with --temperature and --top-k from --load (or the
        seeded initial weights).
export  Saves the seeded initial model (or --load's) as safetensors.
import  Loads a safetensors file (the shapes give the configuration, the heads come from the file's
        metadata or --heads), prints its validation loss on the corpus split above and a sample.

Generation: a prompt longer than the context keeps its last `context` bytes. The next token is the
argmax when the temperature is 0; otherwise p = softmax(logits / temperature) over the logits at or
above the k-th largest (all when --top-k is 0), computed in float64, and the token is the first index
whose running sum of p exceeds u * sum(p), u = (next() >> 11) / 2^53 from SplitMix64 seeded with
--seed, so another implementation with the same logits draws the same bytes. The cache holds
`context` positions; once they are used, each further token is a full forward over the last `context`
bytes, which is what nanoGPT's generate does for every token.

Safetensors files (written and read here with struct and json, no safetensors package needed):
8-byte little-endian header length, a JSON header padded with spaces to a multiple of 8 bytes that
maps each name to dtype F32, shape and data_offsets (plus __metadata__ with n_head, the tying note
and, for the shapes of simddescent-cli's language models, their --arch name as architecture), then
the raw little-endian float32 data. Every state_dict entry is saved, lm_head.weight too, as its own
copy of transformer.wte.weight since the two are tied. Reading accepts F32 tensors only,
requires every parameter name with its shape, and accepts lm_head.weight missing or bitwise equal to
transformer.wte.weight.

SplitMix64 (all arithmetic mod 2^64): state += 0x9E3779B97F4A7C15; z = state;
z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31).
"""
import argparse
import json
import math
import os
import statistics
import struct
import sys
import time

MASK64 = (1 << 64) - 1
DEFAULT_PARAMETERS = 842_496
SAFETENSORS_MAX_HEADER = 100 * 1024 * 1024
# (vocabulary, context, width, heads, blocks, MLP) of the command line's language models, by `--arch` name.
CLI_ARCHITECTURES = {(256, 128, 128, 4, 4, 512): "gpt", (256, 32, 32, 2, 2, 128): "gpt-tiny"}


class SplitMix64:
    """The standard SplitMix64 generator; the C# side draws the same windows from the same seed."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self):
        """A double in [0, 1) from the top 53 bits."""
        return (self.next() >> 11) * (1.0 / (1 << 53))


def counting(minimum):
    """An argparse type for integers of at least `minimum`."""
    def parse(text):
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text} is less than {minimum}")
        return value
    return parse


positive, non_negative = counting(1), counting(0)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name, help_text):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--threads", type=positive, default=1, help="torch.set_num_threads (default 1)")
        sub.add_argument("--seed", type=non_negative, default=1337, help="seed of the weights, windows and sampling")
        sub.add_argument("--context", type=positive, default=128)
        sub.add_argument("--width", type=positive, default=128)
        sub.add_argument("--heads", type=positive, default=4)
        sub.add_argument("--blocks", type=positive, default=4)
        sub.add_argument("--mlp", type=positive, default=512, help="hidden width of the MLP")
        return sub

    def data_options(sub):
        sub.add_argument("--data", default="/usr/share/games/fortunes", help="corpus directory or file")
        sub.add_argument("--categories", default="", help="comma-separated category files to use (default all)")
        sub.add_argument("--exclude", default="", help="comma-separated category files to leave out")

    def sampling_options(sub, tokens, temperature, top_k):
        sub.add_argument("--prompt", default="\n")
        sub.add_argument("--tokens", type=non_negative, default=tokens, help="bytes to generate")
        sub.add_argument("--temperature", type=float, default=temperature, help="0 picks the argmax")
        sub.add_argument("--top-k", type=non_negative, default=top_k, help="0 keeps the whole vocabulary")

    step = command("step", "time one training step")
    step.add_argument("--batch", type=positive, default=16)
    step.add_argument("--warmup", type=non_negative, default=5, help="untimed steps first")
    step.add_argument("--steps", type=positive, default=5, help="steps per timed block")
    step.add_argument("--blocks-timed", type=positive, default=5, help="timed blocks (the median is printed)")

    decode = command("decode", "time generation per token, with and without a key/value cache")
    decode.add_argument("--prompts", default="1,100", help="comma-separated prompt lengths")
    decode.add_argument("--new-tokens", type=positive, default=28, help="timed tokens per run")
    decode.add_argument("--runs", type=positive, default=10, help="timed runs (the median is printed)")
    decode.add_argument("--temperature", type=float, default=0.0, help="0 picks the argmax")
    decode.add_argument("--top-k", type=non_negative, default=0)

    train = command("train", "train on a byte corpus and report the validation loss")
    data_options(train)
    train.add_argument("--batch", type=positive, default=16, help="training windows per step")
    train.add_argument("--steps", type=positive, default=1000)
    train.add_argument("--lr", type=float, default=1e-3)
    train.add_argument("--min-lr", type=float, default=1e-4)
    train.add_argument("--warmup", type=non_negative, default=100, help="linear warm-up steps")
    train.add_argument("--weight-decay", type=float, default=0.1)
    train.add_argument("--clip", type=float, default=1.0, help="gradient norm limit, 0 for none")
    train.add_argument("--eval-interval", type=non_negative, default=0,
                       help="evaluate every N steps (0: only at the end)")
    train.add_argument("--eval-windows", type=positive, default=64, help="validation windows per interval evaluation")
    train.add_argument("--log-interval", type=positive, default=100)
    train.add_argument("--output", help="save the trained model as safetensors")

    sample = command("sample", "generate text")
    sample.add_argument("--load", help="safetensors file (default: the seeded initial weights)")
    sampling_options(sample, 200, 0.8, 40)

    export = command("export", "save the model as safetensors")
    export.add_argument("--load", help="safetensors file to copy (default: the seeded initial weights)")
    export.add_argument("--output", required=True)

    load = command("import", "load a safetensors file, print its validation loss and a sample")
    load.add_argument("file")
    data_options(load)
    load.add_argument("--batch", type=positive, default=16, help="validation windows per forward")
    sampling_options(load, 200, 0.8, 40)

    return parser.parse_args(argv)


arguments = parse_arguments(sys.argv[1:])
# OpenBLAS reads its thread count when the library loads, i.e. during `import torch`.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(arguments.threads))

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from safetensors_writer import save_safetensors  # noqa: E402

HAS_SDPA = hasattr(F, "scaled_dot_product_attention")


class Config:
    def __init__(self, context, width, heads, blocks, mlp, vocabulary=256):
        if min(context, width, heads, blocks, mlp, vocabulary) < 1:
            raise ValueError("every dimension of the model must be at least 1")
        if width % heads != 0:
            raise ValueError(f"--heads ({heads}) must divide --width ({width})")
        self.context, self.width, self.heads, self.blocks, self.mlp = context, width, heads, blocks, mlp
        self.vocabulary = vocabulary

    def shape(self):
        return (self.vocabulary, self.context, self.width, self.heads, self.blocks, self.mlp)

    def is_default(self):
        return self.shape() == (256, 128, 128, 4, 4, 512)

    def architecture(self):
        """The name of SimdDescent's built-in model of this shape (simddescent-cli generate reads it), if any."""
        return CLI_ARCHITECTURES.get(self.shape())

    def __str__(self):
        return (f"vocabulary {self.vocabulary}, context {self.context}, width {self.width}, heads {self.heads}, "
                f"blocks {self.blocks}, MLP {self.mlp}, tied head")


class CausalSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_attn = nn.Linear(config.width, 3 * config.width)
        self.c_proj = nn.Linear(config.width, config.width)
        self.heads = config.heads
        # A constant, not a buffer: the state_dict holds parameters only, as the safetensors files do, and
        # DistributedDataParallel has no buffer to broadcast (gloo cannot broadcast bool tensors).
        self.causal = torch.ones(config.context, config.context, dtype=torch.bool).tril()

    def forward(self, x, cache=None, position=0):
        """x [B, t, C] holds positions position .. position + t - 1. With a cache (k, v buffers
        [B, heads, context, head size]), this call's keys and values go into it and the queries
        attend to every cached position up to their own."""
        batch, t, width = x.shape
        q, k, v = self.c_attn(x).split(width, dim=2)
        q, k, v = (z.view(batch, t, self.heads, width // self.heads).transpose(1, 2) for z in (q, k, v))
        if cache is not None:
            keys, values = cache
            keys[:batch, :, position:position + t] = k
            values[:batch, :, position:position + t] = v
            k, v = keys[:batch, :, :position + t], values[:batch, :, :position + t]
        mask = self.causal[position:position + t, :position + t]
        if HAS_SDPA:
            if k.size(2) == t:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            if t > 1:  # a single query is the newest position and sees every key
                scores = scores.masked_fill(~mask, float("-inf"))
            y = F.softmax(scores, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).reshape(batch, t, width))


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.width, config.mlp)
        self.c_proj = nn.Linear(config.mlp, config.width)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.width)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.width)
        self.mlp = MLP(config)

    def forward(self, x, cache=None, position=0):
        x = x + self.attn(self.ln_1(x), cache, position)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocabulary, config.width),
            wpe=nn.Embedding(config.context, config.width),
            h=nn.ModuleList(Block(config) for _ in range(config.blocks)),
            ln_f=nn.LayerNorm(config.width),
        ))
        self.lm_head = nn.Linear(config.width, config.vocabulary, bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)
        for name, parameter in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(parameter, mean=0.0, std=0.02 / math.sqrt(2 * config.blocks))

    def parameter_count(self, non_embedding=False):
        """Parameters with the tied matrix counted once; non_embedding leaves out the position
        embedding, as nanoGPT's get_num_params(non_embedding=True) does."""
        count = sum(p.numel() for p in self.parameters())
        return count - self.transformer.wpe.weight.numel() if non_embedding else count

    def flops_per_token(self):
        """nanoGPT's estimate_mfu: 6 N + 12 L H Q T for forward and backward of one token."""
        c = self.config
        return 6 * self.parameter_count(non_embedding=True) + 12 * c.blocks * c.heads * (c.width // c.heads) * c.context

    def forward(self, tokens, targets=None, cache=None, position=0):
        """Logits [B, t, V] and the mean cross-entropy with targets; without targets only the last
        position's logits [B, 1, V] (nanoGPT's inference shortcut)."""
        t = tokens.size(1)
        if position + t > self.config.context:
            raise ValueError(f"positions {position}..{position + t - 1} exceed the context {self.config.context}")
        positions = torch.arange(position, position + t, dtype=torch.long)
        x = self.transformer.wte(tokens) + self.transformer.wpe(positions)
        for i, block in enumerate(self.transformer.h):
            x = block(x, None if cache is None else cache[i], position)
        x = self.transformer.ln_f(x)
        if targets is None:
            return self.lm_head(x[:, -1:, :]), None
        logits = self.lm_head(x)
        return logits, F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))

    def new_cache(self, batch=1):
        """Per block a (k, v) pair of preallocated [batch, heads, context, head size] buffers."""
        c = self.config
        shape = (batch, c.heads, c.context, c.width // c.heads)
        return [(torch.zeros(shape), torch.zeros(shape)) for _ in range(c.blocks)]


def adamw(model, lr, weight_decay):
    """nanoGPT's grouping: 2-D tensors (embeddings and linear weights) decay, biases and LayerNorms not."""
    parameters = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": [p for p in parameters if p.dim() >= 2], "weight_decay": weight_decay},
              {"params": [p for p in parameters if p.dim() < 2], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.95), eps=1e-8)


def train_step(model, optimizer, inputs, targets, clip):
    _, loss = model(inputs, targets)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    if clip > 0:
        nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss


def choose_token(logits, temperature, top_k, generator):
    """The next token from last-position logits [V]; see the module notes for the rule."""
    if temperature == 0:
        return int(torch.argmax(logits))
    scaled = logits.double() / temperature
    if 0 < top_k < scaled.numel():
        kth = torch.topk(scaled, top_k).values[-1]
        scaled = scaled.masked_fill(scaled < kth, float("-inf"))
    probabilities = torch.softmax(scaled, dim=0)
    running = torch.cumsum(probabilities, dim=0)
    threshold = generator.uniform() * float(running[-1])
    index = int(torch.searchsorted(running, torch.tensor([threshold], dtype=torch.float64), right=True)[0])
    return min(index, probabilities.numel() - 1)


def generate(model, prompt, count, temperature, top_k, generator, use_cache=True):
    """prompt + count new tokens, as a list of ints."""
    context = model.config.context
    sequence = list(prompt[-context:])
    cache = model.new_cache() if use_cache else None
    filled = 0  # cached positions
    with torch.inference_mode():
        for _ in range(count):
            if cache is not None and len(sequence) <= context:
                fresh = torch.tensor([sequence[filled:]], dtype=torch.long)
                logits, _ = model(fresh, cache=cache, position=filled)
                filled = len(sequence)
            else:
                logits, _ = model(torch.tensor([sequence[-context:]], dtype=torch.long))
            sequence.append(choose_token(logits[0, -1], temperature, top_k, generator))
    return sequence


def corpus_files(data, categories, exclude):
    if os.path.isfile(data):
        if categories or exclude:
            raise ValueError("--categories and --exclude need --data to be a directory")
        return [data]
    if not os.path.isdir(data):
        raise ValueError(f"--data {data}: no such file or directory")
    names = sorted((n for n in os.listdir(data)
                    if os.path.isfile(os.path.join(data, n)) and not n.endswith((".dat", ".u8"))),
                   key=lambda n: n.encode("utf-8", "surrogateescape"))
    chosen = [c for c in categories.split(",") if c]
    left_out = [c for c in exclude.split(",") if c]
    unknown = [c for c in chosen + left_out if c not in names]
    if unknown:
        raise ValueError(f"unknown categories {', '.join(unknown)}; {data} holds {', '.join(names)}")
    names = [n for n in names if (not chosen or n in chosen) and n not in left_out]
    if not names:
        raise ValueError(f"no category files chosen in {data}")
    return [os.path.join(data, n) for n in names]


def load_split(data, categories, exclude):
    """(train, validation) byte tensors: the first floor(0.9 * len) bytes of each file train."""
    train, validation = bytearray(), bytearray()
    for path in corpus_files(data, categories, exclude):
        with open(path, "rb") as f:
            text = f.read()
        cut = 9 * len(text) // 10
        train += text[:cut]
        validation += text[cut:]
    return byte_tensor(train), byte_tensor(validation)


def byte_tensor(data):
    """The bytes as token ids (frombuffer refuses an empty buffer)."""
    return torch.frombuffer(data, dtype=torch.uint8).long() if data else torch.zeros(0, dtype=torch.long)


def validation_loss(model, validation, batch, windows=None):
    """Mean cross-entropy (nats per byte) over the consecutive non-overlapping windows."""
    context = model.config.context
    count = (validation.numel() - 1) // context
    if windows is not None:
        count = min(count, windows)
    if count == 0:
        raise ValueError(f"the validation text ({validation.numel()} bytes) is shorter than "
                         f"one window of {context + 1}")
    total = 0.0
    offsets = torch.arange(context)
    with torch.inference_mode():
        for first in range(0, count, batch):
            starts = torch.arange(first, min(first + batch, count)) * context
            index = starts[:, None] + offsets
            _, mean = model(validation[index], validation[index + 1])
            total += mean.item() * index.numel()
    return total / (count * context)


def learning_rate(step, steps, warmup, lr, min_lr):
    if step < warmup:
        return lr * (step + 1) / warmup
    span = steps - 1 - warmup
    progress = (step - warmup) / span if span > 0 else 1.0
    return min_lr + (lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))


def read_safetensors(path):
    """(tensors, metadata); every tensor F32 and inside the file."""
    if sys.byteorder != "little":
        raise ValueError("reading safetensors needs a little-endian machine")
    with open(path, "rb") as f:
        file_size = os.fstat(f.fileno()).st_size
        if file_size < 8:
            raise ValueError(f"{path}: {file_size} bytes is too short for a safetensors file")
        (header_size,) = struct.unpack("<Q", f.read(8))
        if header_size > min(file_size - 8, SAFETENSORS_MAX_HEADER):
            raise ValueError(f"{path}: header length {header_size} does not fit the file of {file_size} bytes")
        try:
            header = json.loads(f.read(header_size).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"{path}: the header is not JSON ({e})") from None
        if not isinstance(header, dict):
            raise ValueError(f"{path}: the header is not a JSON object")
        metadata = header.pop("__metadata__", None) or {}
        if not isinstance(metadata, dict):
            raise ValueError(f"{path}: __metadata__ is not a JSON object")
        data_size = file_size - 8 - header_size
        tensors = {}
        for name, entry in header.items():
            if not isinstance(entry, dict):
                raise ValueError(f"{path}: the entry of {name} is not a JSON object")
            dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
            if dtype != "F32":
                raise ValueError(f"{path}: {name} has dtype {dtype}; only F32 is read")
            if (not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape)
                    or not isinstance(offsets, list) or len(offsets) != 2
                    or not all(isinstance(o, int) for o in offsets)):
                raise ValueError(f"{path}: {name} needs a shape of non-negative integers and two data_offsets")
            begin, end = offsets
            if not 0 <= begin <= end <= data_size or end - begin != 4 * math.prod(shape):
                raise ValueError(f"{path}: {name} of shape {shape} has data_offsets {offsets}, "
                                 f"outside {data_size} data bytes or not 4 bytes per element")
            f.seek(8 + header_size + begin)
            data = bytearray(f.read(end - begin))
            values = torch.frombuffer(data, dtype=torch.float32) if data else torch.empty(0)
            tensors[name] = values.reshape(shape).clone()
    return tensors, metadata


def save_model(model, path):
    metadata = {
        "format": "pt",
        "n_head": str(model.config.heads),
        "tied": "lm_head.weight is a copy of transformer.wte.weight",
    }
    if model.config.architecture():
        metadata["architecture"] = model.config.architecture()
    save_safetensors(path, model.state_dict(), metadata)
    print(f"saved {path}")


def load_model(path, heads):
    """A GPT shaped by the file (its heads from the metadata, else `heads`) holding its weights."""
    tensors, metadata = read_safetensors(path)
    for needed in ("transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.mlp.c_fc.weight"):
        if needed not in tensors or tensors[needed].dim() != 2:
            raise ValueError(f"{path}: no 2-D {needed}")
    vocabulary, width = tensors["transformer.wte.weight"].shape
    if vocabulary != 256:
        raise ValueError(f"{path}: vocabulary {vocabulary}; the byte-level model has 256")
    blocks = 0
    while f"transformer.h.{blocks}.ln_1.weight" in tensors:
        blocks += 1
    try:
        heads = int(metadata.get("n_head", heads))
    except ValueError:
        raise ValueError(f"{path}: metadata n_head {metadata['n_head']!r} is not an integer") from None
    config = Config(tensors["transformer.wpe.weight"].shape[0], width, heads, blocks,
                    tensors["transformer.h.0.mlp.c_fc.weight"].shape[0])
    model = GPT(config)
    expected = model.state_dict()
    head = tensors.pop("lm_head.weight", None)
    if head is not None and not torch.equal(head, tensors["transformer.wte.weight"]):
        raise ValueError(f"{path}: lm_head.weight differs from transformer.wte.weight; this model ties them")
    missing = [n for n in expected if n not in tensors and n != "lm_head.weight"]
    unexpected = [n for n in tensors if n not in expected]
    if missing or unexpected:
        raise ValueError(f"{path}: missing {missing or 'nothing'}, unexpected {unexpected or 'nothing'}")
    for name, tensor in tensors.items():
        if tensor.shape != expected[name].shape:
            raise ValueError(f"{path}: {name} has shape {list(tensor.shape)}, expected {list(expected[name].shape)}")
    tensors["lm_head.weight"] = tensors["transformer.wte.weight"]
    model.load_state_dict(tensors)
    return model


def new_model(args):
    torch.manual_seed(args.seed)
    model = GPT(Config(args.context, args.width, args.heads, args.blocks, args.mlp))
    report_model(model)
    return model


def report_model(model):
    count = model.parameter_count()
    print(f"model: {model.config}: {count:,} parameters "
          f"({model.parameter_count(non_embedding=True):,} without the position embedding)")
    if model.config.is_default():
        assert count == DEFAULT_PARAMETERS, f"expected {DEFAULT_PARAMETERS:,} parameters, counted {count:,}"


def report_environment():
    attention = "scaled_dot_product_attention" if HAS_SDPA else "explicit masked softmax"
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, attention: {attention}")


def run_step(args):
    model = new_model(args)
    optimizer = adamw(model, 1e-3, 0.1)
    context, batch = model.config.context, args.batch
    generator = torch.Generator().manual_seed(args.seed)
    pool = torch.randint(0, 256, (64, batch, context + 1), generator=generator)
    position = 0

    def step():
        nonlocal position
        window = pool[position % pool.size(0)]
        position += 1
        train_step(model, optimizer, window[:, :-1], window[:, 1:], 1.0)

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.blocks_timed):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        times.append((time.perf_counter() - start) / args.steps)
    seconds = statistics.median(times)
    tokens = batch * context
    flops = model.flops_per_token() * tokens
    print(f"training step, batch {batch} x {context}: {seconds * 1e3:.1f} ms/step (median of {args.blocks_timed} "
          f"blocks of {args.steps}; min {min(times) * 1e3:.1f}, max {max(times) * 1e3:.1f}), "
          f"{tokens / seconds:,.0f} tokens/s")
    print(f"  {flops / 1e9:.2f} GFLOP/step by nanoGPT's estimate_mfu (6 N + 12 L H Q T per token, "
          f"N = {model.parameter_count(non_embedding=True):,} without wpe): {flops / seconds / 1e9:.1f} GFLOP/s")


def run_decode(args):
    model = new_model(args)
    model.eval()
    context = model.config.context
    if args.temperature < 0:
        raise ValueError("--temperature must not be negative")
    try:
        prompt_lengths = [int(p) for p in args.prompts.split(",") if p]
    except ValueError:
        raise ValueError(f"--prompts {args.prompts!r} is not a comma-separated list of integers") from None
    for length in prompt_lengths:
        if length < 1 or length + args.new_tokens - 1 > context:
            raise ValueError(f"prompt {length} + {args.new_tokens} new tokens - 1 must lie in 1..{context}")
    check_cache(model, args)

    def run(prompt, use_cache):
        generator = SplitMix64(args.seed)
        sequence = list(prompt)
        cache = model.new_cache() if use_cache else None
        with torch.inference_mode():
            if use_cache and len(prompt) > 1:
                model(torch.tensor([prompt[:-1]]), cache=cache, position=0)
            start = time.perf_counter_ns()
            for _ in range(args.new_tokens):
                if use_cache:
                    logits, _ = model(torch.tensor([sequence[-1:]]), cache=cache, position=len(sequence) - 1)
                else:
                    logits, _ = model(torch.tensor([sequence]))
                sequence.append(choose_token(logits[0, -1], args.temperature, args.top_k, generator))
            return (time.perf_counter_ns() - start) / args.new_tokens

    draw = SplitMix64(args.seed)
    for length in prompt_lengths:
        prompt = [draw.next() % 256 for _ in range(length)]
        for use_cache in (True, False):
            run(prompt, use_cache)
            times = [run(prompt, use_cache) for _ in range(args.runs)]
            label = "with cache" if use_cache else "no cache  "
            print(f"decode, prompt {length:>3}, {label}: {statistics.median(times) / 1e3:8.1f} us/token "
                  f"(median of {args.runs} runs of {args.new_tokens} tokens; "
                  f"min {min(times) / 1e3:.1f}, max {max(times) / 1e3:.1f})")


def check_cache(model, args):
    """Cached logits against a full forward over the same prefix, at every position."""
    sequence = generate(model, [10], model.config.context - 1, 1.0, 0, SplitMix64(args.seed))
    tokens = torch.tensor([sequence])
    cache = model.new_cache()
    with torch.inference_mode():
        full, _ = model(tokens, tokens)  # with targets the forward returns every position's logits
        difference = 0.0
        for position in range(tokens.size(1)):
            step, _ = model(tokens[:, position:position + 1], cache=cache, position=position)
            difference = max(difference, (step[0, 0] - full[0, position]).abs().max().item())
    if difference > 1e-4:
        raise AssertionError(f"cached and full-forward logits differ by {difference:.3g}")
    print(f"cache check: cached logits match a full forward at all {tokens.size(1)} positions "
          f"(max |difference| {difference:.2g})")


class Ranks:
    """This process's place among the processes torchrun started (WORLD_SIZE, RANK): one process, rank 0 of
    1, when the variables are absent. Every rank draws the same world x batch windows a step from the one
    SplitMix64 sequence and trains on its own consecutive batch of them, so a step of W ranks at --batch B
    is the step of one process at --batch W x B (DistributedDataParallel averages the gradients)."""

    def __init__(self):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        if not 0 <= self.rank < self.world:
            raise ValueError(f"RANK {self.rank} is outside WORLD_SIZE {self.world}")

    @property
    def distributed(self):
        return self.world > 1

    @property
    def main(self):
        return self.rank == 0

    def start(self):
        if self.distributed:
            dist.init_process_group("gloo")  # CPU processes; MASTER_ADDR/PORT come from torchrun

    def wrap(self, model):
        return nn.parallel.DistributedDataParallel(model) if self.distributed else model

    def mean(self, value):
        """The mean over the ranks of a float (the loss of the whole step's batch)."""
        if not self.distributed:
            return value
        total = torch.tensor([value], dtype=torch.float64)
        dist.all_reduce(total)
        return total.item() / self.world

    def stop(self):
        if self.distributed:
            dist.destroy_process_group()


def run_train(args):
    ranks = Ranks()
    ranks.start()
    try:
        train_ranks(args, ranks)
    finally:
        ranks.stop()


def train_ranks(args, ranks):
    started = time.perf_counter()
    train, validation = load_split(args.data, args.categories, args.exclude)
    model = new_model(args)
    context, batch = model.config.context, args.batch
    if train.numel() <= context or validation.numel() <= context:
        raise ValueError(f"the training ({train.numel()} bytes) and validation ({validation.numel()} bytes) "
                         f"texts need more than the context of {context} bytes each")
    print(f"data: {train.numel():,} training bytes, {validation.numel():,} validation bytes "
          f"({(validation.numel() - 1) // context:,} windows)")
    if ranks.distributed:
        print(f"distributed: {ranks.world} processes (gloo), {batch} windows each, {ranks.world * batch} a step")
    trained = ranks.wrap(model)
    optimizer = adamw(model, args.lr, args.weight_decay)
    windows = SplitMix64(args.seed)
    offsets = torch.arange(context)
    own = slice(ranks.rank * batch, (ranks.rank + 1) * batch)
    losses, training_seconds = [], 0.0
    for step in range(args.steps):
        step_start = time.perf_counter()
        starts = torch.tensor([windows.next() % (train.numel() - context) for _ in range(ranks.world * batch)])
        index = starts[own, None] + offsets
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, args.steps, args.warmup, args.lr, args.min_lr)
        loss = ranks.mean(train_step(trained, optimizer, train[index], train[index + 1], args.clip).item())
        training_seconds += time.perf_counter() - step_start
        losses.append(loss)
        done = step + 1
        if step == 0 or done % args.log_interval == 0 or done == args.steps:
            print(f"step {done:>5}/{args.steps}: train loss {loss:.4f}, lr {optimizer.param_groups[0]['lr']:.3g}")
        if ranks.main and args.eval_interval > 0 and done % args.eval_interval == 0 and done < args.steps:
            nats = validation_loss(model, validation, batch, args.eval_windows)
            print(f"step {done:>5}/{args.steps}: validation loss {nats:.4f} nats/byte "
                  f"on the first {args.eval_windows} windows")
    if not ranks.main:
        return
    nats = validation_loss(model, validation, batch)
    recent = losses[-100:]
    print(f"validation loss: {nats:.4f} nats/byte, {nats / math.log(2):.4f} bits/byte (all windows)")
    print(f"train loss: {statistics.fmean(recent):.4f} (mean of the last {len(recent)} steps)")
    tokens = args.steps * ranks.world * batch * context
    print(f"training: {tokens / training_seconds:,.0f} tokens/s over {training_seconds:.1f} s "
          f"of steps; wall time {time.perf_counter() - started:.1f} s")
    if args.output:
        save_model(model, args.output)  # the module itself, not the DDP wrapper: nanoGPT's names


def loaded_or_new_model(args):
    if not args.load:
        return new_model(args)
    model = load_model(args.load, args.heads)
    report_model(model)
    return model


def run_sample(args):
    print_sample(loaded_or_new_model(args), args)


def print_sample(model, args):
    prompt = args.prompt.encode("utf-8")
    if not prompt:
        raise ValueError("--prompt needs at least one byte")
    if args.temperature < 0:
        raise ValueError("--temperature must not be negative")
    model.eval()
    sequence = generate(model, prompt, args.tokens, args.temperature, args.top_k, SplitMix64(args.seed))
    print(f"sample (temperature {args.temperature}, top-k {args.top_k}, seed {args.seed}):")
    print(bytes(sequence).decode("utf-8", errors="replace"))


def run_export(args):
    save_model(loaded_or_new_model(args), args.output)


def run_import(args):
    model = load_model(args.file, args.heads)
    report_model(model)
    _, validation = load_split(args.data, args.categories, args.exclude)
    model.eval()
    nats = validation_loss(model, validation, args.batch)
    print(f"validation loss: {nats:.6f} nats/byte, {nats / math.log(2):.6f} bits/byte "
          f"({(validation.numel() - 1) // model.config.context:,} windows)")
    print_sample(model, args)


def main(args):
    if os.environ.get("RANK", "0") != "0":  # under torchrun rank 0 reports, evaluates and saves; the others only train
        sys.stdout = open(os.devnull, "w")
    torch.set_num_threads(args.threads)
    report_environment()
    commands = {"step": run_step, "decode": run_decode, "train": run_train, "sample": run_sample,
                "export": run_export, "import": run_import}
    try:
        commands[args.command](args)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(arguments)
