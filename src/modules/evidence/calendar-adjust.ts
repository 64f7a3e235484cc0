import { Matrix, solve } from 'ml-matrix';

/**
 * Removes what the calendar explains from each column: least-squares residuals on an
 * intercept and the given calendar columns (constant ones left out; rank deficiency is
 * handled by the SVD). Independence tests on the residuals are tests conditional on the
 * calendar (Frisch–Waugh), so discovery does not mistake "both peak on Saturdays" for a link.
 *
 * @example
 * residualize({ sales: [...] }, { 'weekday[sat]': [...] }).sales; // sales without the Saturday bump
 */
export function residualize(
  columns: Record<string, number[]>,
  calendar: Record<string, number[]>,
): Record<string, number[]> {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]!]!.length : 0;
  const design = Object.values(calendar).filter((c) => c.some((v) => v !== c[0]));
  const X = new Matrix(n, design.length + 1);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, 1);
    design.forEach((c, j) => X.set(i, j + 1, c[i]!));
  }
  const Y = new Matrix(n, names.length);
  names.forEach((name, j) => columns[name]!.forEach((v, i) => Y.set(i, j, v)));
  const fitted = X.mmul(solve(X, Y, true));
  return Object.fromEntries(
    names.map((name, j) => [name, columns[name]!.map((v, i) => v - fitted.get(i, j))]),
  );
}
