import type { ReactNode } from 'react';
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles } from '@fluentui/react-components';

const useStyles = makeStyles({ scroll: { overflowX: 'auto' } });

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  /** Left out at phone width, where only the columns a person needs to find a record stay. */
  readonly wideOnly?: boolean;
}

/** The button at the end of a row: what it does, and for which record, in its accessible name. */
export interface RowAction<T> {
  readonly header: string;
  readonly text: string;
  readonly label: (row: T) => string;
  readonly onClick: (row: T) => void;
}

/** One table of the keepers' records (people, organisations, themes, groups, memberships): a row each, an action at the end. */
export function RecordTable<T>(props: {
  readonly label: string;
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  /** A data attribute naming the record, for tests and for finding a row again. */
  readonly rowData?: (row: T) => Record<`data-${string}`, string>;
  readonly columns: readonly Column<T>[];
  readonly action: RowAction<T>;
  readonly narrow: boolean;
}) {
  const styles = useStyles();
  const columns = props.columns.filter((c) => !(props.narrow && c.wideOnly));
  return (
    <div className={styles.scroll}>
      <Table size="small" aria-label={props.label}>
        <TableHeader>
          <TableRow>
            {columns.map((c) => (
              <TableHeaderCell key={c.header}>{c.header}</TableHeaderCell>
            ))}
            <TableHeaderCell>{props.action.header}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.rows.map((row) => (
            <TableRow key={props.rowKey(row)} {...(props.rowData?.(row) ?? {})}>
              {columns.map((c) => (
                <TableCell key={c.header}>{c.cell(row)}</TableCell>
              ))}
              <TableCell>
                <Button size="small" aria-label={props.action.label(row)} onClick={() => props.action.onClick(row)}>
                  {props.action.text}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
