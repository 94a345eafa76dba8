/**
 * Reading query texts as a model's corpus was read: a text the vocabulary holds as one word is that
 * word; any other text is tokenized with the model's tokenizer and stands for the mean of its known
 * tokens. Shared by the in-memory model and the model read from its file on demand.
 */
import { ErrorCodes, KotovecError } from '../errors.js';
import type { Tokenizer } from '../text/tokenizers.js';

/**
 * A query word or phrase as the model reads it: the text itself when it is a vocabulary word, else the
 * tokens the model's tokenizer makes of it ("消滅した" → 消滅, し, た; "New York" → new, york), those
 * in the vocabulary used (a phrase is the mean of its tokens) and the others listed as unknown.
 */
export interface QueryTerm {
  text: string;
  /** The words the term stands for: vocabulary words and, in a subword model, words composed from n-grams. */
  tokens: string[];
  /** Tokens of the text that are not in the vocabulary (not used). */
  unknown: string[];
  /** Subword models: the tokens the vocabulary does not hold, given vectors from their n-grams (absent when none). */
  composed?: string[];
}

/**
 * Reads query texts (see {@link QueryTerm}).
 * @param has whether a word is in the vocabulary
 * @param tokenizer the model's tokenizer, asked for only when a text is not a vocabulary word
 * @param composes subword models: whether a word outside the vocabulary has n-grams to compose it from
 * @throws KotovecError UNKNOWN_WORD when no token of a text is in the vocabulary, EMPTY_QUERY for an
 *   empty text
 */
export async function resolveTerms(
  texts: readonly string[],
  has: (word: string) => boolean,
  tokenizer: () => Promise<Tokenizer>,
  composes?: (word: string) => boolean,
): Promise<QueryTerm[]> {
  const terms: QueryTerm[] = [];
  for (const text of texts) {
    if (has(text)) {
      terms.push({ text, tokens: [text], unknown: [] });
      continue;
    }
    const split = await tokenizer();
    const tokens = text.split('\n').flatMap((line) => split.tokenize(line));
    if (tokens.length === 0) throw new KotovecError(ErrorCodes.EMPTY_QUERY, `empty query: ${JSON.stringify(text)} has no word the tokenizer keeps`);
    const composed = composes ? tokens.filter((t) => !has(t) && composes(t)) : [];
    const used = tokens.filter((t) => has(t) || composed.includes(t));
    const unknown = tokens.filter((t) => !used.includes(t));
    if (used.length === 0) {
      const read = tokens.length > 1 || tokens[0] !== text ? ` (read as ${tokens.join(' ')})` : '';
      throw new KotovecError(ErrorCodes.UNKNOWN_WORD, `word not in the model: ${JSON.stringify(text)}${read}`);
    }
    terms.push({ text, tokens: used, unknown, ...(composed.length > 0 ? { composed } : {}) });
  }
  return terms;
}
