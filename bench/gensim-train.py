#!/usr/bin/python3
"""Trains gensim Word2Vec on a tokenized corpus with the settings kotovec's benches use (vector_size 100,
window 5, min_count 5, sample 1e-3, negative 5 or hs) and a given alpha and seed; writes a word2vec
binary and prints the training seconds as JSON.
usage: gensim-train.py TOKENS MODE THREADS EPOCHS ALPHA SEED OUT.bin   (MODE: cbow-ns|sg-ns|cbow-hs|sg-hs)
"""
import json, sys, time

from gensim.models import Word2Vec


def main(argv):
    if len(argv) != 8:
        sys.exit(__doc__)
    corpus, mode, threads, epochs, alpha, seed, out = argv[1:]
    arch, loss = mode.split("-")
    start = time.time()
    model = Word2Vec(corpus_file=corpus, vector_size=100, window=5, min_count=5, sample=1e-3,
                     epochs=int(epochs), workers=int(threads), seed=int(seed), alpha=float(alpha),
                     sg=int(arch == "sg"), hs=int(loss == "hs"), negative=0 if loss == "hs" else 5)
    seconds = time.time() - start
    model.wv.save_word2vec_format(out, binary=True)
    print(json.dumps({"seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main(sys.argv)
