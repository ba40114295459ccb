/** Money arrives in fen (integers); screens show yuan, as the manuals do ("保障费用：2470元"). */

/** 247000 → "2470"; 1350 → "13.50"; null → "" */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2)
}

/** A yuan amount typed in a form → fen (rounded to the fen). */
export function toFen(yuanAmount: number | null | undefined): number {
  return Math.round((yuanAmount ?? 0) * 100)
}
