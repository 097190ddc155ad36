/** A numbered schema change with its SQL per dialect (the SQL differs where the engines do). */
export type Dialect = 'duckdb' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  /** Statements run in order inside one transaction, recorded in `schema_migrations`. */
  statements(dialect: Dialect): string[];
}
