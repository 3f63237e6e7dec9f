#!/usr/bin/python3
"""PyTorch peer of SimdDescent's `cnn` architecture (Fashion-MNIST).

The same network as `simddescent-cli train --arch cnn`, as an nn.Sequential whose state_dict names are the
ones SimdDescent writes:

    0 Conv2d(1, 32, 3, padding=1, bias=False)   1 BatchNorm2d(32)   2 ReLU   3 MaxPool2d(2)
    4 Conv2d(32, 64, 3, padding=1, bias=False)  5 BatchNorm2d(64)   6 ReLU   7 MaxPool2d(2)
    8 Flatten   9 Linear(3136, 128)   10 ReLU   11 Linear(128, 10)

Commands:
    evaluate --load weights.safetensors   test accuracy of weights (SimdDescent's or export's), in eval mode
    export --output weights.safetensors   the model seeded by --seed after --steps SGD steps on the training
                                          images, as torch's state_dict holds it (num_batches_tracked I64)
    step                                  median time of one SGD step at --batch (64), and the p50/p99
                                          latency of predicting one image

Safetensors files are read and written with struct and json (no safetensors package needed). --data names
a folder of MNIST-style IDX files (default: Fashion-MNIST's). Pixels are scaled to [0, 1], as SimdDescent's
Fashion-MNIST loader does. Run with /usr/bin/python3 (Debian's python3-torch) and
OPENBLAS_NUM_THREADS=1 for one-thread figures.
"""

import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time

import torch
from torch import nn

from safetensors_writer import save_safetensors

DATA = "/usr/share/datasets/fashion-mnist"


def model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def read_idx(folder, name):
    """A data file, gzip-compressed or not, as a uint8 tensor of its shape."""
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    (magic,) = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    values = torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8)
    return values.reshape(shape)


def images_and_labels(folder, prefix):
    images = read_idx(folder, f"{prefix}-images-idx3-ubyte").to(torch.float32).div_(255).unsqueeze(1)
    labels = read_idx(folder, f"{prefix}-labels-idx1-ubyte").to(torch.int64)
    return images, labels


def read_safetensors(path):
    """Every tensor of the file as float32 (SimdDescent writes F32 or F64; export writes I64 counts)."""
    with open(path, "rb") as f:
        (header_size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_size).decode("utf-8"))
        header.pop("__metadata__", None)
        tensors = {}
        for name, entry in header.items():
            dtype = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}.get(entry["dtype"])
            if dtype is None:
                raise ValueError(f"{path}: {name} has dtype {entry['dtype']}; only F32, F64 and I64 are read")
            begin, end = entry["data_offsets"]
            f.seek(8 + header_size + begin)
            data = bytearray(f.read(end - begin))
            tensors[name] = torch.frombuffer(data, dtype=dtype).reshape(entry["shape"]).to(torch.float32).clone()
    return tensors


def export(args):
    torch.manual_seed(args.seed)
    net = model()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    images, labels = images_and_labels(args.data, "train")
    if args.steps * args.batch > len(labels):
        raise ValueError(f"{args.steps} steps of {args.batch} need {args.steps * args.batch} training images; {args.data} has {len(labels)}")
    for i in range(args.steps):
        rows = slice(i * args.batch, (i + 1) * args.batch)
        optimizer.zero_grad()
        nn.functional.cross_entropy(net(images[rows]), labels[rows]).backward()
        optimizer.step()
    save_safetensors(args.output, net.state_dict(), {"format": "pt"})
    print(f"saved {args.output} after {args.steps} steps")


def evaluate(args):
    net = model()
    state = read_safetensors(args.load)
    # load_state_dict copies into each buffer's own dtype: num_batches_tracked becomes an integer again.
    net.load_state_dict(state, strict=True)
    net.eval()
    images, labels = images_and_labels(args.data, "t10k")
    correct, loss = 0, 0.0
    with torch.no_grad():
        for start in range(0, len(labels), 1000):
            logits = net(images[start:start + 1000])
            loss += nn.functional.cross_entropy(logits, labels[start:start + 1000], reduction="sum").item()
            correct += (logits.argmax(1) == labels[start:start + 1000]).sum().item()
    print(f"test accuracy {correct / len(labels):.4f}, test loss {loss / len(labels):.4f} ({len(labels)} images, PyTorch {torch.__version__})")


def step(args):
    torch.manual_seed(1)
    net = model()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    images = torch.rand(4096, 1, 28, 28)
    labels = torch.randint(0, 10, (4096,))
    position = 0

    def one():
        nonlocal position
        x = images[position:position + args.batch]
        y = labels[position:position + args.batch]
        position = (position + args.batch) % (4096 - args.batch)
        optimizer.zero_grad(set_to_none=False)
        nn.functional.cross_entropy(net(x), y).backward()
        optimizer.step()

    for _ in range(args.warmup):
        one()
    blocks = []
    for _ in range(args.blocks):
        start = time.perf_counter()
        for _ in range(args.steps):
            one()
        blocks.append((time.perf_counter() - start) / args.steps)
    print(f"training step at batch {args.batch}: median {statistics.median(blocks) * 1e3:.2f} ms over {args.blocks} blocks of {args.steps}")

    net.eval()
    latencies = []
    with torch.no_grad():
        for i in range(args.predictions + 100):
            x = images[i % 4096:i % 4096 + 1]
            start = time.perf_counter()
            net(x)
            if i >= 100:
                latencies.append(time.perf_counter() - start)
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[min(len(latencies) - 1, math.ceil(0.99 * len(latencies)) - 1)]
    print(f"single-image prediction: p50 {p50 * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs over {len(latencies)} predictions")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("evaluate")
    check.add_argument("--load", required=True)
    check.add_argument("--data", default=DATA)
    save = commands.add_parser("export")
    save.add_argument("--output", required=True)
    save.add_argument("--data", default=DATA)
    save.add_argument("--seed", type=int, default=1)
    save.add_argument("--steps", type=int, default=0)
    save.add_argument("--batch", type=int, default=64)
    timing = commands.add_parser("step")
    timing.add_argument("--batch", type=int, default=64)
    timing.add_argument("--warmup", type=int, default=10)
    timing.add_argument("--steps", type=int, default=10)
    timing.add_argument("--blocks", type=int, default=5)
    timing.add_argument("--predictions", type=int, default=2000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    try:
        {"evaluate": evaluate, "export": export, "step": step}[args.command](args)
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
