#!/usr/bin/python3
"""gensim's own continued training, for comparison with `kotovec train --from`: Word2Vec on HALF1, then
build_vocab(update=True) and train on HALF2, and one model on both; prints analogy accuracy of each as JSON.
Same settings as bench/continue.mjs (CBOW, NS, dim 100, window 5, min_count 5, sample 1e-3, 5 epochs).
usage: gensim-continue.py HALF1 HALF2 BOTH ALPHA THREADS [SEED=1]
"""
import json, os, sys

from gensim.models import Word2Vec

EVAL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "eval", "en")


def analogy(model):
    return round(model.wv.evaluate_word_analogies(os.path.join(EVAL, "questions-words.txt"), restrict_vocab=300000)[0], 4)


def main(argv):
    if len(argv) not in (6, 7):
        sys.exit(__doc__)
    half1, half2, both, alpha, threads = argv[1], argv[2], argv[3], float(argv[4]), int(argv[5])
    seed = int(argv[6]) if len(argv) == 7 else 1
    settings = dict(vector_size=100, window=5, min_count=5, sample=1e-3, negative=5, epochs=5, workers=threads, seed=seed, alpha=alpha)
    a = Word2Vec(corpus_file=half1, **settings)
    result = {"A": analogy(a)}
    a.build_vocab(corpus_file=half2, update=True)
    a.train(corpus_file=half2, total_examples=a.corpus_count, total_words=a.corpus_total_words, epochs=5)
    result["B"] = analogy(a)
    result["C"] = analogy(Word2Vec(corpus_file=both, **settings))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
