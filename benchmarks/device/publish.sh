#!/bin/sh
# Publishes the benchmarks as a self-contained linux-x64 program, with the PyTorch peers and run.sh, into
# benchmarks/device/publish/: copy that folder to a host without a .NET SDK and run ./run.sh there.
set -eu
repository=$(cd "$(dirname "$0")/../.." && pwd)
publish="$repository/benchmarks/device/publish"
rm -rf "$publish"
dotnet publish "$repository/benchmarks/SimdDescent.Benchmarks" -c Release -r linux-x64 --self-contained -o "$publish/bin"
cp "$repository/benchmarks/device/run.sh" "$repository/benchmarks/peers/pytorch_gpt.py" "$repository/benchmarks/peers/safetensors_writer.py" "$repository/benchmarks/peers/pytorch_mlp.py" "$publish/"
# The program must start without an SDK and find the benchmarks run.sh names.
listed=$("$publish/bin/SimdDescent.Benchmarks" --list flat)
for benchmark in GptStepBenchmarks DataParallelBenchmarks; do
    if ! printf '%s\n' "$listed" | grep -q "$benchmark"; then
        echo "error: the published program does not list $benchmark" >&2
        exit 1
    fi
done
echo "published $publish ($(du -sh "$publish" | cut -f1)): copy it to the host, then run ./run.sh there"
