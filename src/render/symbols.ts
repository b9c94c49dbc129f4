// Sub-cell symbol renderers: per cell the glyph (eighths, quarters, halves, quadrants, sextants) and the two colours
// that best show its 4x8 atoms, in truecolor, 256 or 16 colours (16: with ░▒▓ blends). Damage tracking is rate-
// distortion aware: a cell is repainted when what the terminal shows is much worse than the best rendering, and a
// byte budget per frame goes to the cells that gain the most next, so still areas converge over a few frames and the
// bytes stay bounded. SGR reuse (swapping fg/bg through the complement glyph) and cursor jumps as in half-blocks.

import type { Frame } from '../shared/frame.js';
import { CellRenderer, NO_BYTES, cellTuning } from './cell-renderer.js';
import { ANSI16_RGB, XTERM256_RGB, dist2, nearest16, nearest256 } from './palette.js';
import { CellSampler } from './cell-sampler.js';
import { ATOMS, ATOM_COLS, ATOM_ROWS, symbolSet, type SymbolSet, type SymbolSetName } from './symbol-set.js';
import { SymbolFitter } from './symbol-fit.js';
import { SHADE_ALPHA, mix16 } from './symbols-colour.js';
import { budgetThreshold } from './damage-budget.js';
import type { BlockRendererOptions, CellRect, FrameRenderer, RenderOptions, RendererKind } from './types.js';

/** Colour modes of the symbol renderers. */
export type SymbolColours = 'truecolor' | '256' | '16';

/** Options: the glyph set and colour mode, plus the block renderers' tolerances and byte budget. */
export interface SymbolRendererOptions extends BlockRendererOptions {
  readonly set: SymbolSetName;
  readonly colours: SymbolColours;
}

const MAX_CELL_BYTES = 64;
/** Paint marks of a cell in one frame: leave it, repaint it reusing near SGR colours, repaint it exactly. */
const KEEP = 0;
const PAINT = 1;
const EXACT = 2;
/** A cell whose error is below this share of the last frame's budget threshold is not fitted (0.7 fitted 14 % more cells, same figures). */
const SKIP_SHARE = 1.0;

// Create a symbol renderer of a table kind.
export function createSymbolRenderer(kind: RendererKind, opts: SymbolRendererOptions): FrameRenderer {
  return new SymbolRenderer(kind, opts);
}

class SymbolRenderer extends CellRenderer implements FrameRenderer {
  readonly kind: RendererKind;
  private readonly set: SymbolSet;
  private readonly sampler = new CellSampler();
  private readonly fitter = new SymbolFitter();
  private readonly atomAspect: number;
  private readonly mustErr: number;
  private readonly driftErr: number;
  private readonly floorErr: number;
  private readonly reuseSq: number;
  private readonly budgetPerCell: number;
  // what the terminal shows per cell: glyph (-1 unknown), fg and bg as RGB
  private shownG = new Int16Array(0);
  private shownF = new Int32Array(0);
  private shownB = new Int32Array(0);
  // this frame's decision per cell: glyph, fg/bg codes, gain over what is shown, paint mark
  private wantG = new Int16Array(0);
  private wantF = new Int32Array(0);
  private wantB = new Int32Array(0);
  private gain = new Float32Array(0);
  private mark = new Uint8Array(0);
  /** Bytes a repainted cell costs, learnt from the last frames. */
  private cellCost = 16;
  /** The smallest gain the budget paid for in the last frame (0: none). */
  private lastT = 0;

  constructor(kind: RendererKind, o: SymbolRendererOptions) {
    const t = cellTuning(o);
    super(o.colours === 'truecolor' ? 0 : o.colours === '256' ? 1 : 2, t.driftRows);
    this.kind = kind;
    this.set = symbolSet(o.set);
    this.atomAspect = (t.cw / ATOM_COLS) / (t.ch / ATOM_ROWS);
    // squared error over a cell of an RMS per channel
    const cellErr = (rms: number): number => ATOMS * 3 * rms * rms;
    this.mustErr = cellErr(t.tolerance);
    this.driftErr = cellErr(t.drift);
    this.reuseSq = 3 * t.reuse * t.reuse;
    // what SGR reuse may leave behind is not worth a repaint from the budget (else a still picture never settles)
    this.floorErr = Math.max(ATOMS, cellErr(t.reuse));
    this.budgetPerCell = t.budgetPerCell;
  }

  // Forget what the terminal shows.
  invalidate(): void {
    this.shownG.fill(-1);
  }

  // Per-cell state for a pane of n cells.
  protected resize(n: number): void {
    this.shownG = new Int16Array(n);
    this.shownF = new Int32Array(n);
    this.shownB = new Int32Array(n);
    this.wantG = new Int16Array(n);
    this.wantF = new Int32Array(n);
    this.wantB = new Int32Array(n);
    this.gain = new Float32Array(n);
    this.mark = new Uint8Array(n);
  }

  // Render one frame into the pane; the bytes of one write (empty when nothing changed).
  render(frame: Frame, rect: CellRect, opts?: RenderOptions): Buffer {
    if (!this.place(rect, opts)) return NO_BYTES;
    const { cols, rows, col: col0, row: row0 } = this.rect;
    this.sampler.begin(frame, cols, rows, this.atomAspect);
    const bandStart = this.nextBand();
    let painted = 0;
    for (let y = 0; y < rows; y++) {
      const inBand = (y - bandStart + rows) % rows < this.driftRows;
      this.sampler.row(y);
      for (let x = 0; x < cols; x++) painted += this.decide(x, y, inBand);
    }
    // the budget: the cells that gain most from a repaint, after those that must be repainted
    const budget = cols * rows * this.budgetPerCell - painted * this.cellCost;
    this.lastT = 0;
    if (budget > this.cellCost) {
      const k = Math.floor(budget / this.cellCost);
      const t = budgetThreshold(this.gain, this.mark, k);
      this.lastT = t;
      if (t > 0) {
        // above the threshold first, then ties at it (many cells gain the same on a flat change) up to k
        let left = k;
        for (let pass = 0; pass < 2 && left > 0; pass++) {
          for (let i = 0; i < this.mark.length && left > 0; i++) {
            const g = this.gain[i] as number;
            if (this.mark[i] === KEEP && (pass === 0 ? g > t : g === t)) {
              this.mark[i] = EXACT;
              painted++;
              left--;
            }
          }
        }
      }
    }
    if (painted === 0) return NO_BYTES;
    const w = this.out;
    const start = this.begin(painted, MAX_CELL_BYTES);
    const mark = this.mark;
    for (let y = 0, ci = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++, ci++) {
        const m = mark[ci] as number;
        if (m === KEEP) continue;
        this.cursor.moveTo(w, row0 + y, col0 + x);
        this.emit(this.wantG[ci] as number, this.wantF[ci] as number, this.wantB[ci] as number, m === EXACT ? (this.mode === 0 ? 0 : -1) : this.mode === 0 ? this.reuseSq : -1, ci);
      }
    }
    this.cellCost = Math.max(4, 0.7 * this.cellCost + 0.3 * ((w.len - start) / painted));
    return this.end(start);
  }

  // Decide one cell: fit it, compare with what is shown, set its mark (1 when it must be repainted) and gain.
  private decide(x: number, y: number, inBand: boolean): number {
    const ft = this.fitter;
    const set = this.set;
    const ci = y * this.rect.cols + x;
    ft.load(this.sampler, x);
    const sg = this.shownG[ci] as number;
    let eShown = Infinity;
    if (sg >= 0) {
      eShown = ft.errOf(set, sg, this.shownF[ci] as number, this.shownB[ci] as number);
      // no repaint can gain more than what is wrong now: skip the fit when that is below what must be repainted and
      // well below the smallest gain the budget bought last frame
      if (eShown <= this.floorErr || (eShown <= (inBand ? this.driftErr : this.mustErr) && eShown < SKIP_SHARE * this.lastT)) {
        this.mark[ci] = KEEP;
        this.gain[ci] = 0;
        return 0;
      }
    }
    ft.fit(set);
    let glyph = ft.glyph;
    let fc = ft.f, bc = ft.b, e = ft.err;
    if (this.mode === 1) {
      fc = nearest256(ft.f >> 16, (ft.f >> 8) & 255, ft.f & 255);
      bc = nearest256(ft.b >> 16, (ft.b >> 8) & 255, ft.b & 255);
      e = ft.errOf(set, glyph, XTERM256_RGB[fc] as number, XTERM256_RGB[bc] as number);
      // or the cell's mean colour as a blend (░▒▓) of its nearest palette colour and one beyond it: the cube's steps
      // are 40 levels, a blend lands between them
      const m = ft.mean();
      const b0 = nearest256(m >> 16, (m >> 8) & 255, m & 255);
      const bRgb = XTERM256_RGB[b0] as number;
      for (let s = 0; s < 3; s++) {
        const k = 1 / (SHADE_ALPHA[s] as number);
        const f0 = nearest256(beyond(bRgb >> 16, m >> 16, k), beyond((bRgb >> 8) & 255, (m >> 8) & 255, k), beyond(bRgb & 255, m & 255, k));
        if (f0 === b0) continue;
        const es = ft.errOf(set, set.shade + s, XTERM256_RGB[f0] as number, bRgb);
        if (es < e) {
          glyph = set.shade + s;
          fc = f0;
          bc = b0;
          e = es;
        }
      }
      if (fc === bc && glyph !== set.shade && glyph !== set.shade + 1 && glyph !== set.shade + 2) glyph = set.space;
    } else if (this.mode === 2) {
      fc = nearest16(ft.f >> 16, (ft.f >> 8) & 255, ft.f & 255);
      bc = nearest16(ft.b >> 16, (ft.b >> 8) & 255, ft.b & 255);
      e = fc === bc ? Infinity : ft.errOf(set, glyph, ANSI16_RGB[fc] as number, ANSI16_RGB[bc] as number);
      // or the cell's mean colour as a blend of two ANSI colours (░▒▓), often closer than either colour alone
      const m = ft.mean();
      const mix = mix16(m >> 16, (m >> 8) & 255, m & 255);
      const shade = mix >> 8;
      const mg = shade === 0 ? set.space : set.shade + shade - 1;
      const mf = shade === 0 ? (mix >> 4) & 15 : mix & 15;
      const mb = (mix >> 4) & 15;
      const em = ft.errOf(set, mg, ANSI16_RGB[mf] as number, ANSI16_RGB[mb] as number);
      if (em <= e) {
        glyph = mg;
        fc = mf;
        bc = mb;
        e = em;
      }
    }
    if (glyph === set.space) fc = bc;
    this.wantG[ci] = glyph;
    this.wantF[ci] = fc;
    this.wantB[ci] = bc;
    const gain = eShown - e;
    this.gain[ci] = gain;
    if (gain > (inBand ? this.driftErr : this.mustErr)) {
      this.mark[ci] = inBand ? EXACT : PAINT;
      return 1;
    }
    this.mark[ci] = KEEP;
    if (gain <= this.floorErr) this.gain[ci] = 0;
    return 0;
  }

  // Near enough to reuse? Truecolor: within reuseSq; indexed (reuseSq < 0): the same code.
  private near(cur: number, want: number, reuseSq: number): boolean {
    return cur >= 0 && (reuseSq < 0 ? cur === want : dist2(cur, want) <= reuseSq);
  }

  // Write glyph g with fg code fc over bg code bc, reusing the current SGR where it is near; note what is shown.
  private emit(g: number, fc: number, bc: number, reuseSq: number, ci: number): void {
    const set = this.set;
    let outG = g;
    if (g === set.space || g === set.full) {
      const want = g === set.space ? bc : fc;
      // a space on the right background, never a full block over a stale one: fonts leave a seam at the cell's
      // edge that shows the background (rows of 1-px lines in xterm)
      if (!this.near(this.bg, want, reuseSq)) this.sgr(-1, want);
      outG = set.space;
    } else {
      const comp = set.complement[g] as number;
      const nfF = this.near(this.fg, fc, reuseSq), nbB = this.near(this.bg, bc, reuseSq);
      const swap = comp >= 0;
      const nfB = swap && this.near(this.fg, bc, reuseSq), nbF = swap && this.near(this.bg, fc, reuseSq);
      if (nfF && nbB) outG = g;
      else if (nfB && nbF) outG = comp;
      else if (nfF) this.sgr(-1, bc);
      else if (nbB) this.sgr(fc, -1);
      else if (nfB) {
        this.sgr(-1, fc);
        outG = comp;
      } else if (nbF) {
        this.sgr(bc, -1);
        outG = comp;
      } else this.sgr(fc, bc);
    }
    const w = this.out;
    if (outG === set.space) w.byte(0x20);
    else w.bytes(set.utf8[outG] as Buffer);
    this.shownG[ci] = outG;
    this.shownF[ci] = this.rgb(this.fg);
    this.shownB[ci] = this.rgb(this.bg);
  }

  // RGB of a colour code in the current mode.
  private rgb(code: number): number {
    if (code < 0) return 0;
    return this.mode === 0 ? code : this.mode === 1 ? (XTERM256_RGB[code] as number) : (ANSI16_RGB[code] as number);
  }
}

// The channel value a blend at coverage 1/k over b needs to show m: b + k·(m − b), clamped.
function beyond(b: number, m: number, k: number): number {
  const v = b + k * (m - b);
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
