// The answering side's memory of answered offer codes: a replayed offer code is refused until it expires anyway.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProtocolError } from '../../shared/errors.js';
import { MAX_REMEMBERED_CODES } from '../../shared/limits.js';
import { nowSeconds, type CallCode } from './call-code.js';

interface Entry { readonly id: string; readonly expiresS: number; readonly answeredS: number }

/** Answered offer ids with their expiry, kept in a small JSON file (private to the user) so it holds across runs. */
export class AnsweredCodes {
  constructor(private readonly file: string) {}

  /** Refuse a code answered before (ERR_CALL_CODE_REPLAYED); otherwise remember it. */
  claim(code: CallCode, nowS: number = nowSeconds()): void {
    const live = this.load().filter((e) => e.expiresS >= nowS);
    const seen = live.find((e) => e.id === code.id);
    if (seen) {
      throw new ProtocolError('ERR_CALL_CODE_REPLAYED',
        `this call code was already answered ${nowS - seen.answeredS} s ago: each code is good for one call, ask for a new one`);
    }
    live.push({ id: code.id, expiresS: code.expiresS, answeredS: nowS });
    live.sort((a, b) => a.expiresS - b.expiresS);
    this.save(live.slice(-MAX_REMEMBERED_CODES));
  }

  /** The entries on disk (none when the file is missing or unreadable). */
  private load(): Entry[] {
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (!Array.isArray(v)) return [];
      return v.filter((e): e is Entry => typeof e?.id === 'string' && typeof e?.expiresS === 'number' && typeof e?.answeredS === 'number');
    } catch {
      return [];
    }
  }

  /** Write the entries atomically (temp file, rename), mode 0600. */
  private save(entries: Entry[]): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entries), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
