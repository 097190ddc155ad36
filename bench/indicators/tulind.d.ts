// tulind ships no type declarations; this is the part of its API the benchmark calls.
declare module 'tulind' {
  interface TulindIndicator {
    indicator(inputs: ArrayLike<number>[], options: number[], callback: (err: unknown, result: number[][]) => void): void;
  }
  const tulind: { version: string; indicators: Record<string, TulindIndicator | undefined> };
  export default tulind;
}
