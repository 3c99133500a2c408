/**
 * Trade analytics: classification (tick rule, quote rule, Lee-Ready, EMO, CLNV), effective, realized
 * and quoted spreads, VPIN, Kyle's lambda, Amihud illiquidity, Roll's spread, and trade detectors.
 *
 * @module
 */
export * from './amihud.js';
export {
  DEFAULT_QUOTE_CLASSIFIER_OPTIONS,
  QuoteClassifier,
  type QuoteClassifierOptions,
  type QuoteClassifierState,
  type QuoteClassifierStateFields,
} from './classifier-core.js';
export * from './clnv.js';
export * from './effective-spread.js';
export * from './emo.js';
export * from './kyle-lambda.js';
export * from './lee-ready.js';
export * from './quote-history.js';
export * from './quote-rule.js';
export * from './quoted-spread.js';
export * from './rapid-trading.js';
export * from './realized-spread.js';
export * from './roll-spread.js';
export type * from './signal.js';
export * from './tick-rule.js';
export * from './unusual-size.js';
export * from './vpin.js';
