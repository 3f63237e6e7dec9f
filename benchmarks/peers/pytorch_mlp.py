#!/usr/bin/env python3
"""PyTorch (one thread unless --threads says more), side by side with TrainingStepBenchmarks and
`latency`: one SGD step (forward, cross-entropy, backward, update) of 784 -> 128 ReLU -> 10 at several batch sizes, each step
on the next batch of 4,096 random rows with random labels, and Predict-style latency of one sample.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/pytorch_mlp.py [--threads N]

--threads (default 1) is torch.set_num_threads. Debian's python3-torch uses OpenBLAS, which ignores
torch.set_num_threads for its GEMMs, hence the variable (set to --threads when unset). Prints medians
over repeated timed blocks.
"""
import argparse
import os
import statistics
import time


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is less than 1")
    return value


parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--threads", type=positive, default=1, metavar="N", help="torch.set_num_threads (default 1)")
threads = parser.parse_args().threads
# OpenBLAS reads its thread count when the library loads, i.e. during `import torch`.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))

import torch  # noqa: E402

torch.set_num_threads(threads)
print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), "
      f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
torch.manual_seed(0)
rows = torch.rand(4096, 784)
labels = torch.randint(0, 10, (4096,))
model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
sgd = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = torch.nn.CrossEntropyLoss()


def step_time(batch, steps=400, blocks=7):
    position = 0

    def step():
        nonlocal position
        if position + batch > rows.shape[0]:
            position = 0
        x, y = rows[position:position + batch], labels[position:position + batch]
        position += batch
        sgd.zero_grad(set_to_none=False)
        loss_fn(model(x), y).backward()
        sgd.step()

    for _ in range(steps):
        step()
    times = []
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps)
    return statistics.median(times)


for batch in (1, 32, 64, 256):
    print(f"SGD step, batch {batch:>3}: {step_time(batch, steps=max(20, 4000 // batch)) * 1e6:9.1f} us")

sample = rows[:1]
latencies = []
with torch.inference_mode():
    for i in range(22_000):
        start = time.perf_counter_ns()
        model(sample)
        if i >= 2_000:
            latencies.append(time.perf_counter_ns() - start)
latencies.sort()
print(f"predict one sample: p50 {latencies[len(latencies) // 2] / 1e3:.2f} us, p99 {latencies[int(len(latencies) * 0.99)] / 1e3:.2f} us")
