# gensim's phrases-then-word2vec job on a pre-tokenized text (a line a sentence), whole process, for
# bench comparisons with `kotovec train --phrases`: Phrases (English connector words, gensim's defaults)
# -> freeze() -> Word2Vec on the joined lines (CBOW, negative 5, window 5, min_count 5, sample 1e-3,
# alpha 0.05 as kotovec's CBOW default), saved.
# usage: python3 gensim-phrases-train.py TOKENS OUT WORKERS SEED [THRESHOLD (gensim's default: 10)]
import sys, time
from gensim.models.phrases import Phrases, ENGLISH_CONNECTOR_WORDS
from gensim.models import Word2Vec

path, out, workers, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
threshold = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
started = time.time()
with open(path, encoding='utf8') as f:
    sentences = [line.split() for line in f]
frozen = Phrases(sentences, threshold=threshold, connector_words=ENGLISH_CONNECTOR_WORDS).freeze()
joined = [frozen[s] for s in sentences]
phrased = time.time()
model = Word2Vec(joined, vector_size=100, window=5, min_count=5, sample=1e-3, negative=5, sg=0, alpha=0.05, epochs=5, workers=workers, seed=seed)
model.wv.save_word2vec_format(out, binary=True)
print(f'phrases {phrased - started:.1f} s, word2vec {time.time() - phrased:.1f} s, vocabulary {len(model.wv)}', file=sys.stderr)
