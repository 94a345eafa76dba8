/**
 * Inserting many rows into one table with one multi-row INSERT statement per batch: better-sqlite3 pays
 * a fixed cost per statement run, so a million one-row inserts take about four times as long as ten
 * thousand hundred-row ones. Values are kept (not copied) until the batch is written: callers that
 * reuse a buffer must hand in a copy.
 */
import type Database from 'better-sqlite3';

/** Rows per statement. */
const BATCH_ROWS = 128;

/** Collects rows and inserts them a batch at a time. */
export class BatchInsert {
  private readonly full: Database.Statement;
  private readonly values: unknown[] = [];
  private readonly width: number;

  /**
   * @param table the table
   * @param columns its columns, in the order values are given
   */
  constructor(private readonly db: Database.Database, private readonly table: string, private readonly columns: readonly string[]) {
    this.width = columns.length;
    this.full = this.statement(BATCH_ROWS);
  }

  private statement(rows: number): Database.Statement {
    const row = `(${this.columns.map(() => '?').join(', ')})`;
    return this.db.prepare(`INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`);
  }

  /** Adds one row (one value a column). */
  add(...row: unknown[]): void {
    for (let i = 0; i < this.width; i++) this.values.push(row[i]);
    if (this.values.length === BATCH_ROWS * this.width) {
      this.full.run(this.values);
      this.values.length = 0;
    }
  }

  /** Inserts the rows still waiting. */
  finish(): void {
    if (this.values.length === 0) return;
    this.statement(this.values.length / this.width).run(this.values);
    this.values.length = 0;
  }
}
