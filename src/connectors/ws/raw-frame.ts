/** What a websocket feed yields: the bytes of one text frame and when they arrived. */
export interface RawFrame {
  /** Local receive time, epoch ms. */
  receivedAt: number;
  text: string;
}
