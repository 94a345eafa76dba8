#!/usr/bin/python3
"""Scores word2vec-format vectors with gensim's own evaluation, as one JSON line: Google analogies
(restrict_vocab 300000, 3CosAdd), WordSim-353 Spearman, and SimLex-999 Spearman when a file is given.
SimLex-999 is not in ../shared: gensim's repository has it as gensim/test/test_data/simlex999.txt.
usage: score-vectors.py VECTORS.bin|VECTORS.txt [SIMLEX.txt]
"""
import json, os, sys

from gensim.models import KeyedVectors

EVAL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "eval", "en")


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    path = argv[1]
    wv = KeyedVectors.load_word2vec_format(path, binary=path.endswith(".bin"))
    acc, _ = wv.evaluate_word_analogies(os.path.join(EVAL, "questions-words.txt"), restrict_vocab=300000)
    result = {"vocab": len(wv.index_to_key), "analogy": round(acc, 4),
              "ws353": round(wv.evaluate_word_pairs(os.path.join(EVAL, "wordsim353.tsv"))[1][0], 4)}
    if len(argv) == 3:
        result["simlex"] = round(wv.evaluate_word_pairs(argv[2])[1][0], 4)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
