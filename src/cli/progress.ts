/**
 * The CLI's progress display: a cli-progress bar on stderr when stderr is a terminal, JSON lines with
 * `--progress json`, nothing otherwise. The library only reports numbers through callbacks; only this
 * module draws.
 */
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { ScanProgress } from '../corpus/scan.js';
import type { TrainProgress } from '../train/trainer.js';

/** `auto`: a bar on a TTY, nothing elsewhere. */
export type ProgressMode = 'auto' | 'json' | 'none';

/** Receives progress events and shows them. */
export interface ProgressReporter {
  scan(progress: ScanProgress): void;
  train(progress: Extract<TrainProgress, { phase: 'train' }>): void;
  /** Any other long step counted in rows (`import`): what it is, how far, out of how many. */
  rows(label: string, done: number, total: number): void;
  /** Removes the bar (call before printing anything else). */
  stop(): void;
}

function humanRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)}k`;
  return perSecond.toFixed(0);
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Builds the reporter for a mode.
 * @param mode `auto`, `json` or `none`
 * @param stream where to draw (stderr)
 */
export function createProgressReporter(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (mode === 'none' || (mode === 'auto' && !stream.isTTY)) return { scan() {}, train() {}, rows() {}, stop() {} };
  if (mode === 'json') {
    const write = (event: object) => stream.write(JSON.stringify(event) + '\n');
    let lastScan = 0;
    let lastTrain = 0;
    return {
      scan(p) {
        const now = Date.now();
        if (now - lastScan < 1000 && p.bytesRead < p.totalBytes) return;
        lastScan = now;
        write({ phase: 'scan', ...p });
      },
      train(p) {
        const now = Date.now();
        if (now - lastTrain < 1000 && p.words < p.totalWords) return;
        lastTrain = now;
        write({ ...p, wordsPerSecond: Math.round(p.wordsPerSecond) });
      },
      rows(label, done, total) {
        const now = Date.now();
        if (now - lastTrain < 1000 && done < total) return;
        lastTrain = now;
        write({ phase: label, rows: done, totalRows: total });
      },
      stop() {},
    };
  }
  // Loaded only for a terminal: most runs (pipes, CI, --json) never draw a bar and skip its start-up.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
  let bar: cliProgressModule.SingleBar | undefined;
  let phase = '';
  let scanStart = 0;
  const start = (name: string, total: number, format: string, payload: Record<string, string | number>) => {
    bar?.stop();
    phase = name;
    bar = new cliProgress.SingleBar(
      { format, stream, hideCursor: true, clearOnComplete: false, barsize: 30, etaBuffer: 50, fps: 5 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, payload);
  };
  return {
    scan(p) {
      if (phase !== 'scan') {
        scanStart = Date.now();
        start('scan', Math.max(1, p.totalBytes), 'reading  {bar} {percentage}% | {tokens} tokens | {rate} tokens/s | ETA {eta_formatted}', { tokens: 0, rate: '0' });
      }
      const seconds = (Date.now() - scanStart) / 1000;
      bar!.update(Math.min(p.bytesRead, Math.max(1, p.totalBytes)), { tokens: p.tokens, rate: humanRate(seconds > 0 ? p.tokens / seconds : 0) });
    },
    train(p) {
      if (phase !== 'train') {
        start('train', p.totalWords, 'training {bar} {percentage}% | epoch {epoch}/{epochs} | {rate} words/s | alpha {alpha} | loss {loss} | ETA {remaining}', {
          epoch: 1,
          epochs: p.epochs,
          rate: '0',
          alpha: p.alpha.toFixed(5),
          loss: '-',
          remaining: '--',
        });
      }
      const remaining = p.wordsPerSecond > 0 ? (p.totalWords - p.words) / p.wordsPerSecond : Number.NaN;
      bar!.update(p.words, {
        epoch: p.epoch,
        epochs: p.epochs,
        rate: humanRate(p.wordsPerSecond),
        alpha: p.alpha.toFixed(5),
        loss: p.loss.toFixed(4),
        remaining: eta(remaining),
      });
    },
    rows(label, done, total) {
      if (phase !== label) {
        scanStart = Date.now();
        start(label, Math.max(1, total), `${label.padEnd(8)} {bar} {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}`, { rate: '0' });
      }
      const seconds = (Date.now() - scanStart) / 1000;
      bar!.update(Math.min(done, Math.max(1, total)), { rate: humanRate(seconds > 0 ? done / seconds : 0) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
      phase = '';
    },
  };
}
