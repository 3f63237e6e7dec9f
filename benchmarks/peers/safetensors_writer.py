"""Writes a safetensors file with the standard library and PyTorch only: floating-point tensors as F32,
integer tensors (BatchNorm's num_batches_tracked) as I64, replaced atomically. Shared by the peer scripts."""
import json
import os
import struct
import sys

import torch


def save_safetensors(path, tensors, metadata):
    if sys.byteorder != "little":
        raise ValueError("writing safetensors needs a little-endian machine")
    header, offset, payload = {}, 0, []
    for name, tensor in tensors.items():
        integer = not tensor.is_floating_point()
        tensor = tensor.detach().to(torch.int64 if integer else torch.float32).contiguous()
        size = tensor.numel() * tensor.element_size()
        header[name] = {"dtype": "I64" if integer else "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + size]}
        data = bytearray(size)
        if size:
            torch.frombuffer(data, dtype=tensor.dtype).copy_(tensor.reshape(-1))
        payload.append(data)
        offset += size
    header["__metadata__"] = metadata
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    partial = path + ".partial"
    with open(partial, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for data in payload:
            f.write(data)
    os.replace(partial, path)
