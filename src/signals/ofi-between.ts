/**
 * The order-flow imbalance contribution `e_n` of one book level between two consecutive book states,
 * as defined by Cont, Kukanov & Stoikov (2014):
 *
 * ```text
 * e_n = 1{Pb_n >= Pb_n-1} qb_n - 1{Pb_n <= Pb_n-1} qb_n-1
 *     - 1{Pa_n <= Pa_n-1} qa_n + 1{Pa_n >= Pa_n-1} qa_n-1
 * ```
 *
 * where `Pb, qb` (`Pa, qa`) are the bid (ask) price and size of the level in state n-1 (`prev*`) and
 * state n. Units: size units (shares); positive = net buying pressure (bid queue growing or bid price
 * rising, ask queue shrinking or ask price rising).
 *
 * It is computed as `bidFlow - askFlow` (`bidFlow` the first two terms, `askFlow` minus the last two),
 * so swapping the sides negates it exactly in floating point. Comparisons are plain `>=` / `<=`: a `NaN`
 * price makes its indicators 0. Callers map an empty level to a price of `-Infinity` (bid) or
 * `+Infinity` (ask) with size 0, as `MultiLevelOfi` does; `Ofi` and `MultiLevelOfi` are the streaming
 * operators built on this function.
 *
 * Reference: R. Cont, A. Kukanov & S. Stoikov (2014), "The price impact of order book events",
 * Journal of Financial Econometrics 12(1), 47-88 (the definition of e_n); per level m as in K. Xu,
 * M. D. Gould & S. D. Howison (2019), "Multi-level order-flow imbalance in a limit order book",
 * Market Microstructure and Liquidity 4(3-4), 1950011.
 *
 * @example
 * ```ts
 * // bid 579.40 x 496 -> 579.40 x 196 (300 shares executed), ask 580.23 x 100 unchanged
 * ofiBetween(579.40, 496, 580.23, 100, 579.40, 196, 580.23, 100); // -300 (196 - 496 - 100 + 100)
 * ```
 */
export function ofiBetween(
  prevBidPx: number,
  prevBidSz: number,
  prevAskPx: number,
  prevAskSz: number,
  bidPx: number,
  bidSz: number,
  askPx: number,
  askSz: number,
): number {
  const bidFlow = (bidPx >= prevBidPx ? bidSz : 0) - (bidPx <= prevBidPx ? prevBidSz : 0);
  const askFlow = (askPx <= prevAskPx ? askSz : 0) - (askPx >= prevAskPx ? prevAskSz : 0);
  return bidFlow - askFlow;
}
