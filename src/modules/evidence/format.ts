/** Number wording for the module's plain-language summaries (same style as the engine's). */
export function amount(x: number): string {
  return Math.abs(x) >= 100
    ? Math.round(x).toLocaleString('en-US')
    : Number(x.toPrecision(3)).toString();
}

export function signed(x: number): string {
  return (x >= 0 ? '+' : '') + amount(x);
}
