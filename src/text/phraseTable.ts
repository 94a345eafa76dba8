/**
 * A phrase table as text: a first line `# kotovec phrases {settings as JSON}`, a header line, then
 * `phrase<TAB>count<TAB>score<TAB>pass` a phrase (scores in full precision, so a saved table joins what the
 * learnt one joined); or the same as one JSON object.
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, KotovecError } from '../errors.js';
import { checkPhraseSettings, type PhrasePass, type PhraseSettings, type PhraseTable } from './phrases.js';

const MAGIC = '# kotovec phrases ';
const HEADER = 'phrase\tcount\tscore\tpass';

/** The table as tab-separated text. */
export function phraseTableToText(table: PhraseTable): string {
  const lines = [MAGIC + JSON.stringify(table.settings), HEADER];
  table.passes.forEach((pass, p) => pass.phrases.forEach((phrase, i) => lines.push(`${phrase}\t${pass.counts[i]}\t${pass.scores[i]}\t${p + 1}`)));
  return lines.join('\n') + '\n';
}

/** The table as a JSON object: settings, and each phrase with its count, score and pass. */
export function phraseTableToJson(table: PhraseTable): object {
  return {
    settings: table.settings,
    phrases: table.passes.flatMap((pass, p) => pass.phrases.map((phrase, i) => ({ phrase, count: pass.counts[i], score: pass.scores[i], pass: p + 1 }))),
  };
}

/**
 * Reads a table written by {@link phraseTableToText} or {@link phraseTableToJson}.
 * @throws KotovecError BAD_FORMAT naming the file and the line
 */
export function parsePhraseTable(text: string, path: string): PhraseTable {
  const bad = (what: string) => new KotovecError(ErrorCodes.BAD_FORMAT, `${path}: not a kotovec phrase table (${what})`);
  let settings: PhraseSettings;
  let rows: { phrase: string; count: number; score: number; pass: number }[];
  if (text.trimStart().startsWith('{')) {
    let parsed: { settings?: PhraseSettings; phrases?: typeof rows };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw bad('invalid JSON');
    }
    if (!parsed.settings || !Array.isArray(parsed.phrases)) throw bad('no settings or phrases');
    settings = parsed.settings;
    rows = parsed.phrases;
  } else {
    const lines = text.split('\n');
    if (!lines[0]!.startsWith(MAGIC)) throw bad(`line 1 does not start with "${MAGIC.trim()}"`);
    try {
      settings = JSON.parse(lines[0]!.slice(MAGIC.length));
    } catch {
      throw bad('line 1: the settings are not JSON');
    }
    if (lines[1] !== HEADER) throw bad(`line 2 is not "${HEADER.replace(/\t/g, '<TAB>')}"`);
    rows = [];
    for (let i = 2; i < lines.length; i++) {
      if (lines[i] === '') continue;
      const [phrase, count, score, pass, extra] = lines[i]!.split('\t');
      if (phrase === undefined || pass === undefined || extra !== undefined) throw bad(`line ${i + 1} has not four fields`);
      rows.push({ phrase, count: Number(count), score: Number(score), pass: Number(pass) });
    }
  }
  try {
    checkPhraseSettings(settings);
  } catch (error) {
    throw bad(`settings: ${(error as Error).message}`);
  }
  const passes: PhrasePass[] = Array.from({ length: settings.passes }, () => ({ phrases: [], counts: [], scores: [] }));
  for (const row of rows) {
    const pass = passes[row.pass - 1];
    if (!pass || typeof row.phrase !== 'string' || !row.phrase.includes(settings.delimiter) || !Number.isFinite(row.count) || Number.isNaN(row.score)) {
      throw bad(`phrase "${String(row.phrase)}": its pass, count or score is not one`);
    }
    pass.phrases.push(row.phrase);
    pass.counts.push(row.count);
    pass.scores.push(row.score);
  }
  return { settings, passes };
}

/**
 * Reads a saved table from a file.
 * @throws KotovecError INPUT_NOT_FOUND for a file that cannot be read, BAD_FORMAT for one that is not a table
 */
export function readPhraseTable(path: string): PhraseTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KotovecError(ErrorCodes.INPUT_NOT_FOUND, `cannot read the phrase table ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parsePhraseTable(text, path);
}
