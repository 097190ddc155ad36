/**
 * Where a streamed export goes: stdout, or a file that appears only once it is complete.
 * Writes wait for the reader ('drain') so memory stays bounded by one chunk of text; a reader
 * that goes away (EPIPE: `| head`) ends the export quietly rather than as an error.
 */
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';

export interface OutputSink {
  /** Resolves once `text` is handed on and the destination can take more; false when the reader has gone (stop writing). */
  write(text: string | Uint8Array): Promise<boolean>;
  /** Flushes; for a file, renames it into place. */
  finish(): Promise<void>;
  /** Drops what was written (a file's partial copy is removed); safe after finish. */
  discard(): Promise<void>;
}

/** A sink on a writable stream (process.stdout by default). */
export function streamSink(stream: NodeJS.WritableStream = process.stdout): OutputSink {
  let gone = false;
  let failure: Error | undefined;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') gone = true;
    else failure = err;
  });
  return {
    async write(text) {
      if (failure !== undefined) throw failure;
      if (gone) return false;
      if (text.length !== 0 && !stream.write(text)) await settled(stream);
      if (failure !== undefined) throw failure;
      return !gone;
    },
    async finish() {
      if (failure !== undefined) throw failure;
    },
    async discard() {},
  };
}

/**
 * A sink on `path`, written under a temporary name beside it (same directory, so the rename is
 * atomic) and renamed when finished: a failed or interrupted export leaves no half file.
 */
export function fileSink(path: string): OutputSink & { readonly partialPath: string } {
  const partialPath = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  let fd: number;
  try {
    // Opened now so a bad path is refused before anything is read from the store.
    fd = openSync(partialPath, 'w');
  } catch (err) {
    throw new ConfigError(`--output ${path}: ${(err as Error).message}`, { cause: err });
  }
  const stream = createWriteStream('', { fd, autoClose: true });
  const release = removeOnStop([partialPath]);
  let failure: Error | undefined;
  stream.on('error', (err) => {
    failure = new ConfigError(`--output ${path}: ${err.message}`, { cause: err });
  });
  let done = false;
  return {
    partialPath,
    async write(text) {
      if (failure !== undefined) throw failure;
      if (text.length !== 0 && !stream.write(text)) await settled(stream);
      if (failure !== undefined) throw failure;
      return true;
    },
    async finish() {
      await new Promise<void>((resolve) => stream.end(resolve));
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once('close', resolve)));
      renameSync(partialPath, path);
      done = true;
      release();
    },
    async discard() {
      if (done) return;
      if (!stream.destroyed) {
        stream.destroy();
        await new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once('close', resolve)));
      }
      rmSync(partialPath, { force: true });
      release();
    },
  };
}

/**
 * Removes `paths` if Ctrl-C (SIGINT) or SIGTERM stops the process before `release()` is called,
 * then exits as the default handling would (130, 143): an interrupted export leaves no temp file.
 */
export function removeOnStop(paths: readonly string[]): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const p of paths) rmSync(p, { force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Resolves at the stream's next 'drain', 'error' or 'close', whichever comes first. */
function settled(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}
