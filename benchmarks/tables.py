#!/usr/bin/env python3
"""Builds the result tables of README.md and benchmarks/results/<machine>/*.md from the raw
BenchmarkDotNet reports in a results folder, so every table is regenerated from the committed reports.

    python3 benchmarks/tables.py benchmarks/results/epyc-zen4-avx512 [table ...]   prints tables
    python3 benchmarks/tables.py --update FILE...                                  rewrites them in place

Tables: kernels, kernels-avx2, dot-floor, dot-floor-avx2, gemm, training-step, data-parallel,
optimizer-step, epoch, pytorch-mlp, pytorch-gpt, gpt-scaling, pytorch-cnn, convolution (all of them when none is named). --update replaces every table that stands
between a line `<!-- tables.py FOLDER TABLE -->` and the next `<!-- /tables.py -->` (FOLDER relative to
the repository root). Standard library only.
"""
import os
import re
import sys

UNITS = {"ns": 1.0, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}


def rows(path):
    """The rows of a BenchmarkDotNet GitHub-markdown report as dicts keyed by column name."""
    header, result = None, []
    with open(path, encoding="utf-8") as report:
        for line in report:
            if not line.startswith("|"):
                continue
            cells = [c.strip().replace("**", "") for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif all(set(c) <= set("-: ") for c in cells):
                continue
            else:
                result.append(dict(zip(header, cells)))
    if header is None:
        sys.exit(f"error: {path} holds no BenchmarkDotNet table")
    return result


def nanoseconds(cell):
    number, unit = cell.replace(",", "").split()
    return float(number) * UNITS[unit]


def allocated(cell):
    return "0 B" if cell in ("-", "0 B") else cell


def size(n):
    return {"1048576": "1,048,576"}.get(n, n)


def ratio(peer, ours):
    return f"{peer / ours:.2f}×"


def duration(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def table(head, body):
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def kernels(folder, report):
    data = rows(os.path.join(folder, report))
    sizes = list(dict.fromkeys(r["N"] for r in data))
    body = []
    for kernel in dict.fromkeys(r["Categories"] for r in data):
        cells, allocations = [], set()
        for n in sizes:
            by_method = {r["Method"].split("_")[1]: r for r in data if r["Categories"] == kernel and r["N"] == n}
            ours = by_method["SimdDescent"]
            cells.append(ratio(nanoseconds(by_method["TensorPrimitives"]["Mean"]), nanoseconds(ours["Mean"])))
            allocations.add(allocated(ours["Allocated"]))
        body.append([kernel, *cells, ", ".join(sorted(allocations))])
    return table(["kernel", *(f"n = {size(n)}" for n in sizes), "allocated"], body)


def dot_floor(folder, report):
    data = rows(os.path.join(folder, report))
    body = []
    for placement, n in dict.fromkeys((r["Categories"], r["N"]) for r in data):
        group = {r["Method"].split("_")[0]: nanoseconds(r["Mean"]) for r in data if (r["Categories"], r["N"]) == (placement, n)}
        floor = group.get("LoadFloor")
        body.append([placement, n, f"{floor:.1f} ns" if floor else "",
                     f"{group['TensorPrimitives']:.1f} ns", f"{group['SimdDescent']:.1f} ns",
                     ratio(group["TensorPrimitives"], group["SimdDescent"])])
    return table(["inputs", "n", "load-only loop", "TensorPrimitives", "SimdDescent", "ratio"], body)


def gemm(folder, report="gemm-report.md"):
    data = rows(os.path.join(folder, report))
    body = []
    for shape in dict.fromkeys(r["Shape"] for r in data):
        group = {r["Method"]: r for r in data if r["Shape"] == shape}
        ours, peer = group["SimdDescent"], group["OpenBlasSgemm"]
        body.append([shape, ours["GFLOP/s"], peer["GFLOP/s"], duration(nanoseconds(ours["Mean"])),
                     ratio(nanoseconds(peer["Mean"]), nanoseconds(ours["Mean"])), allocated(ours["Allocated"])])
    return table(["shape", "SimdDescent GFLOP/s", "OpenBLAS GFLOP/s", "SimdDescent time", "ratio", "allocated"], body)


def training_step(folder, report="training-step-report.md"):
    data = rows(os.path.join(folder, report))
    body = [[r["Method"].replace("Step_", "").replace("_", " → "), r["Batch"], duration(nanoseconds(r["Mean"])),
             allocated(r["Allocated"])] for r in data]
    return table(["network", "batch", "one SGD step", "allocated"], body)


def data_parallel(folder, report="data-parallel-report.md"):
    data = rows(os.path.join(folder, report))
    one = {r["Batch"]: nanoseconds(r["Mean"]) for r in data if r["Threads"] == "1"}
    body = [[r["Batch"], r["Threads"], duration(nanoseconds(r["Mean"])), ratio(one[r["Batch"]], nanoseconds(r["Mean"])),
             allocated(r["Allocated"])] for r in data]
    return table(["batch", "threads", "one step", "speed-up", "allocated"], body)


def optimizer_step(folder, report="optimizer-step-report.md"):
    data = rows(os.path.join(folder, report))
    body = []
    for rule in dict.fromkeys(r["Categories"] for r in data):
        group = {r["Method"].split("_")[1]: r for r in data if r["Categories"] == rule}
        ours, scalar = group["SimdDescent"], group["ScalarLoop"]
        body.append([rule, duration(nanoseconds(ours["Mean"])), duration(nanoseconds(scalar["Mean"])),
                     ratio(nanoseconds(scalar["Mean"]), nanoseconds(ours["Mean"])), allocated(ours["Allocated"])])
    return table(["update", "SimdDescent", "scalar loop", "ratio", "allocated"], body)


def pytorch_mlp(folder, report="training-step-report.md", peer="pytorch-mlp.txt"):
    ours = {r["Batch"]: nanoseconds(r["Mean"]) for r in rows(os.path.join(folder, report)) if r["Method"] == "Step_784_128_10"}
    body = []
    with open(os.path.join(folder, peer), encoding="utf-8") as output:
        for line in output:
            step = re.match(r"SGD step, batch +(\d+): +([\d.]+) us", line)
            if step and step.group(1) in ours:
                theirs = float(step.group(2)) * 1e3
                body.append([step.group(1), duration(ours[step.group(1)]), duration(theirs), ratio(theirs, ours[step.group(1)])])
    return table(["batch", "SimdDescent", "PyTorch", "ratio"], body)


def pytorch_gpt(folder, step_report="gpt-step-report.md", decode_report="gpt-decode-report.md", peer="pytorch-gpt.txt"):
    step = next(r for r in rows(os.path.join(folder, step_report)) if r["Threads"] == "1")
    decode = {r["Prompt"]: r for r in rows(os.path.join(folder, decode_report))}
    with open(os.path.join(folder, peer), encoding="utf-8") as output:
        text = output.read()
    their_step = float(re.search(r"training step, batch 16 x 128: ([\d.]+) ms/step", text).group(1)) * 1e6
    ours = nanoseconds(step["Mean"])
    body = [["training step, 16 × 128 tokens", f"{duration(ours)} ({2048 / ours * 1e9:,.0f} tokens/s)",
             f"{duration(their_step)} ({2048 / their_step * 1e9:,.0f} tokens/s)", ratio(their_step, ours), allocated(step["Allocated"])]]
    for prompt, theirs in re.findall(r"decode, prompt +(\d+), with cache: +([\d.]+) us/token", text):
        if prompt in decode:
            ours, theirs = nanoseconds(decode[prompt]["Mean"]), float(theirs) * 1e3
            body.append([f"cached decoding, prompt {prompt}, per token", duration(ours), duration(theirs), ratio(theirs, ours),
                         allocated(decode[prompt]["Allocated"])])
    return table(["work", "SimdDescent", "PyTorch", "ratio", "allocated"], body)


def gpt_scaling(folder, report="gpt-step-report.md"):
    data = rows(os.path.join(folder, report))
    one = next(nanoseconds(r["Mean"]) for r in data if r["Threads"] == "1")
    body = [[r["Threads"], duration(nanoseconds(r["Mean"])), f"{2048 / nanoseconds(r['Mean']) * 1e9:,.0f}",
             ratio(one, nanoseconds(r["Mean"])), allocated(r["Allocated"])] for r in data]
    return table(["threads", "one step", "tokens/s", "speed-up", "allocated"], body)


def pytorch_cnn(folder, report="cnn-report.md", peer="pytorch-cnn.txt"):
    ours = {r["Method"]: r for r in rows(os.path.join(folder, report))}
    with open(os.path.join(folder, peer), encoding="utf-8") as output:
        text = output.read()
    their_step = float(re.search(r"training step at batch 64: median ([\d.]+) ms", text).group(1)) * 1e6
    their_p50 = float(re.search(r"single-image prediction: p50 ([\d.]+) µs", text).group(1)) * 1e3
    body = []
    for label, method, theirs, their_label in (("training step, batch 64", "TrainingStep_Batch64", their_step, "median"),
                                               ("prediction of one image", "Predict_OneImage", their_p50, "p50")):
        mean = nanoseconds(ours[method]["Mean"])
        body.append([label, f"{duration(mean)} (mean)", f"{duration(theirs)} ({their_label})", ratio(theirs, mean),
                     allocated(ours[method]["Allocated"])])
    return table(["work", "SimdDescent", "PyTorch", "ratio", "allocated"], body)


def convolution(folder, report="convolution-report.md"):
    """Each convolution's forward and backward beside the bare GEMMs on their products' shapes (median times)."""
    data = rows(os.path.join(folder, report))
    body = []
    for layer in dict.fromkeys(r["Layer"] for r in data):
        group = {r["Method"]: r for r in data if r["Layer"] == layer}
        inputs, outputs, height, width = map(int, re.fullmatch(r"(\d+)→(\d+) (\d+)×(\d+)", layer).groups())
        product = 2.0 * 64 * height * width * inputs * 9 * outputs
        for work, products, gemms in (("forward", 1, ["GemmForward"]), ("backward", 2, ["GemmWeightGradient", "GemmInputGradient"])):
            ours = group[work.capitalize()]
            layer_ns = nanoseconds(ours["Median"])
            gemm_ns = sum(nanoseconds(group[g]["Median"]) for g in gemms)
            body.append([layer, work, duration(layer_ns), f"{products * product / layer_ns:.1f}", duration(gemm_ns),
                         f"{products * product / gemm_ns:.1f}", f"{gemm_ns / layer_ns:.0%}", allocated(ours["Allocated"])])
    return table(["convolution, batch 64", "pass", "layer", "layer GFLOP/s", "its GEMMs", "GEMM GFLOP/s", "GEMM share", "allocated"], body)


def epoch(folder, report="epoch-report.md"):
    data = rows(os.path.join(folder, report))
    body = [[r["Threads"], duration(nanoseconds(r["Mean"])), allocated(r["Allocated"])] for r in data]
    return table(["threads", "one epoch", "allocated"], body)


TABLES = {
    "kernels": lambda folder: kernels(folder, "kernels-report.md"),
    "kernels-avx2": lambda folder: kernels(folder, "kernels-avx2-report.md"),
    "dot-floor": lambda folder: dot_floor(folder, "dot-floor-report.md"),
    "dot-floor-avx2": lambda folder: dot_floor(folder, "dot-floor-avx2-report.md"),
    "gemm": gemm,
    "training-step": training_step,
    "data-parallel": data_parallel,
    "optimizer-step": optimizer_step,
    "epoch": epoch,
    "pytorch-mlp": pytorch_mlp,
    "pytorch-gpt": pytorch_gpt,
    "gpt-scaling": gpt_scaling,
    "pytorch-cnn": pytorch_cnn,
    "convolution": convolution,
}


MARKER = re.compile(r"^<!-- tables\.py (\S+) (\S+) -->$")


def update(path, root):
    """Rewrites the marked tables of one Markdown file; returns how many it rewrote."""
    with open(path, encoding="utf-8") as source:
        lines = source.read().split("\n")
    result, count, index = [], 0, 0
    while index < len(lines):
        line = lines[index]
        result.append(line)
        index += 1
        marker = MARKER.match(line)
        if not marker:
            continue
        folder, name = marker.groups()
        if name not in TABLES:
            sys.exit(f"error: {path}: unknown table {name}")
        end = next((i for i in range(index, len(lines)) if lines[i] == "<!-- /tables.py -->"), None)
        if end is None:
            sys.exit(f"error: {path}: the table after line {index} has no closing <!-- /tables.py -->")
        result.extend(TABLES[name](os.path.join(root, folder)).split("\n"))
        index, count = end, count + 1
    with open(path, "w", encoding="utf-8") as target:
        target.write("\n".join(result))
    return count


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 1
    if argv[0] == "--update":
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for path in argv[1:]:
            print(f"{path}: {update(path, root)} tables")
        return 0
    folder, names = argv[0], argv[1:] or list(TABLES)
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        sys.exit(f"error: unknown table {', '.join(unknown)}; expected one of {', '.join(TABLES)}")
    for name in names:
        print(f"<!-- tables.py {os.path.normpath(folder)} {name} -->")
        print(TABLES[name](folder))
        print("<!-- /tables.py -->")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
