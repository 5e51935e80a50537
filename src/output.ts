import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './errors';

/** What the operating system's error codes mean for someone picking an output path. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  ENOENT: 'a part of the path does not exist',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EBUSY: 'the path is busy',
};

/** An error raised by a file system call (it has an error code and a system call name). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}

/**
 * Runs `write`, turning a file system error into a one-line usage error that names the flag, the
 * path and the reason: an unwritable or impossible output path is a mistake in the command line.
 */
export function writingOutput<T>(flag: string, target: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    const reason = REASONS[error.code!] ?? error.code;
    throw new UsageError(
      `${flag} "${target}": cannot write there (${error.code}: ${reason}). Fix: pass a path in a directory you can write to`,
    );
  }
}

/** Writes one output file (creating its directory), with `writingOutput`'s errors. */
export function writeOutputFile(flag: string, target: string, file: string, text: string): void {
  writingOutput(flag, target, () => {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      throw new UsageError(`${flag} "${target}" is a directory. Fix: pass the path of a file`);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  });
}
