#!/bin/sh
# Runs the thread-scaling benchmarks on this host, with no .NET SDK: the published benchmark program
# (BenchmarkDotNet inside its own process, short jobs) for the GPT training step and the MLP's
# data-parallel steps, then the PyTorch peers at 1, 2, 4, ... threads up to the processor count.
# Everything goes into one folder (python -u: each line as it comes, through tee).
#
#   ./run.sh [output folder]        (default: results-<host>-<UTC time> beside this script)
#
# PYTHON names the interpreter with torch (default python3); FILTERS the BenchmarkDotNet filters.
set -eu
set -f  # the filters are globs for BenchmarkDotNet, not for the shell
here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/results-$(hostname)-$(date -u +%Y%m%dT%H%MZ)}
python=${PYTHON:-python3}
filters=${FILTERS:-*GptStepBenchmarks* *DataParallelBenchmarks*}
mkdir -p "$output"

# 1, 2, 4, ... below the processor count, then the count itself: GptStepBenchmarks' list.
cores=$(nproc)
threads=""
n=1
while [ "$n" -lt "$cores" ]; do
    threads="$threads $n"
    n=$((n * 2))
done
threads="${threads# }${threads:+ }$cores"

{
    date -u
    uname -a
    lscpu
    "$python" -c 'import torch; print("PyTorch", torch.__version__); print(torch.__config__.parallel_info())' || true
} > "$output/machine.txt" 2>&1
echo "threads: $threads; results: $output"

# --inProcess: no child project to build, so no SDK. Every GPT thread count first checks that it trains
# bitwise the weights of one thread.
"$here/bin/SimdDescent.Benchmarks" --filter $filters --inProcess --launchCount 1 --warmupCount 2 --iterationCount 5 \
    --artifacts "$output/benchmarkdotnet" 2>&1 | tee "$output/simddescent.txt"

if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "no torch for $python: the PyTorch peers are left out" | tee "$output/pytorch-missing.txt"
    exit 0
fi
for n in $threads; do
    export OMP_NUM_THREADS="$n" MKL_NUM_THREADS="$n" OPENBLAS_NUM_THREADS="$n"
    "$python" -u "$here/pytorch_gpt.py" step --threads "$n" 2>&1 | tee "$output/pytorch-gpt-step-threads-$n.txt"
    "$python" -u "$here/pytorch_mlp.py" --threads "$n" 2>&1 | tee "$output/pytorch-mlp-threads-$n.txt"
done
echo "results: $output"
