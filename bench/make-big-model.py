#!/usr/bin/python3
"""Writes a synthetic word2vec binary for big-model benchmarks: N words x D dimensions of clustered
vectors (C cluster centres, each word a centre plus noise), words named w0000000 ... in order. The
same arguments give the same file.
usage: make-big-model.py OUT.bin [N=1000000] [D=300] [CLUSTERS=1000]
"""
import sys

import numpy as np


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out = argv[1]
    n = int(argv[2]) if len(argv) > 2 else 1_000_000
    d = int(argv[3]) if len(argv) > 3 else 300
    clusters = int(argv[4]) if len(argv) > 4 else 1000
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((clusters, d), dtype=np.float32)
    chunk = 50_000
    with open(out, "wb") as f:
        f.write(f"{n} {d}\n".encode())
        for start in range(0, n, chunk):
            rows = min(chunk, n - start)
            which = rng.integers(0, clusters, rows)
            vectors = centres[which] + 0.6 * rng.standard_normal((rows, d), dtype=np.float32)
            parts = []
            for i in range(rows):
                parts.append(f"w{start + i:07d} ".encode())
                parts.append(vectors[i].astype("<f4").tobytes())
                parts.append(b"\n")
            f.write(b"".join(parts))


if __name__ == "__main__":
    main(sys.argv)
