/**
 * What the stream processors read of an order book: its best levels. The order book kept per
 * exchange (another module) implements it; processors never change a book.
 */
export interface BookView {
  /** The best `n` levels of a side as [price, quantity], best first (bids descending, asks ascending); fewer when the side is shorter. */
  top(side: 'bid' | 'ask', n: number): readonly (readonly [number, number])[];
}
