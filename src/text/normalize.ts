/**
 * Unicode normalisation applied to every line before tokenizing: NFKC by default (full-width Latin
 * letters and digits become ASCII, half-width katakana become full-width, ligatures are split), and an
 * optional lowercase. Pure-ASCII lines skip NFKC, which cannot change them.
 */

/** The normalisation forms kotovec offers. */
export type NormalizationForm = 'NFKC' | 'NFC' | 'none';

/** What to do to a line before tokenizing. */
export interface NormalizeConfig {
  /** Unicode normalisation form (default NFKC). */
  form: NormalizationForm;
  /** Lowercase the line (default on for the `simple` tokenizer). */
  lowercase: boolean;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Returns a function that normalises one line as `config` says.
 * @param config the normalisation form and whether to lowercase
 */
export function createNormalizer(config: NormalizeConfig): (line: string) => string {
  const { form, lowercase } = config;
  if (form === 'none') return lowercase ? (line) => line.toLowerCase() : (line) => line;
  return (line) => {
    const normal = NON_ASCII.test(line) ? line.normalize(form) : line;
    return lowercase ? normal.toLowerCase() : normal;
  };
}
