;; The cell sums of CellSampler (cell-sampler.ts) in WebAssembly SIMD: per atom row of one cell, the left and right
;; halves' channel sums and Σ|x|², from the cell's source columns in the atom-row buffer (f32 B G R per column) and
;; their weights, four lanes at once (B G R and the next column's B, which is never read back). JS owns the layout:
;; `layout` gives the offsets, `sums(cx)` writes cell cx's rowL (8 x R G B, f64) at out, rowR at out + 200 and
;; q, tr, tg, tb at out + 400; `columns(cx)` its per-atom-column sums (8 x R G B, f64) at out + 432; `rowsum`
;; fills an atom row from the source rows summed into it, and `narrow` sums it over the box's columns when the box is
;; narrower than the source.
;; Build: node scripts/build-wasm.mjs (writes cell-sums-wasm.ts).
(module
  (memory (export "memory") 1)
  (global $vOff (mut i32) (i32.const 0))      ;; atom rows: ATOM_ROWS rows of f32 B G R, $rowBytes apart
  (global $rowBytes (mut i32) (i32.const 0))
  (global $wOff (mut i32) (i32.const 0))      ;; per cell, per source column: f32 wl wr qa qb
  (global $jOff (mut i32) (i32.const 0))      ;; per cell: i32 byte offset of its first column in a row
  (global $rkOff (mut i32) (i32.const 0))     ;; per atom row: f32 1/n of the source rows summed into it
  (global $outOff (mut i32) (i32.const 0))
  (global $J (mut i32) (i32.const 0))         ;; source columns per cell
  (global $tapOff (mut i32) (i32.const 0))    ;; per atom column: i32 byte offsets of its two taps in `down`, f32 weights
  (global $downOff (mut i32) (i32.const 0))   ;; columns(): the cell's J + 1 source columns summed down (f32x4 each)
  (func (export "layout") (param i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (global.set $vOff (local.get 0)) (global.set $rowBytes (local.get 1)) (global.set $wOff (local.get 2))
    (global.set $jOff (local.get 3)) (global.set $rkOff (local.get 4)) (global.set $outOff (local.get 5))
    (global.set $J (local.get 6)) (global.set $tapOff (local.get 7)) (global.set $downOff (local.get 8)))
  ;; f32 lanes B G R x → R G B x
  (func $rgb (param $v v128) (result v128)
    (i8x16.shuffle 8 9 10 11 4 5 6 7 0 1 2 3 12 13 14 15 (local.get $v) (local.get $v)))
  ;; store the R G B lanes of v as three f64 at a (and a fourth value, which the caller's next store overwrites)
  (func $store3 (param $a i32) (param $v v128)
    (v128.store (local.get $a) (f64x2.promote_low_f32x4 (local.get $v)))
    (v128.store offset=16 (local.get $a)
      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
  ;; Sum n source rows of len bytes each (staged one after another at $stage) into len f32 at $dst (both rounded up to
  ;; 16 values: the caller leaves room after them).
  (func (export "rowsum") (param $dst i32) (param $stage i32) (param $n i32) (param $len i32)
    (local $i i32) (local $r i32) (local $p i32) (local $b v128) (local $lo v128) (local $hi v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (loop $chunks
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0))
      (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $stage) (local.get $i)))
      (local.set $r (i32.const 0))
      (loop $rows
        (local.set $b (v128.load (local.get $p)))
        (local.set $lo (i16x8.extend_low_i8x16_u (local.get $b)))
        (local.set $hi (i16x8.extend_high_i8x16_u (local.get $b)))
        (local.set $a0 (i32x4.add (local.get $a0) (i32x4.extend_low_i16x8_u (local.get $lo))))
        (local.set $a1 (i32x4.add (local.get $a1) (i32x4.extend_high_i16x8_u (local.get $lo))))
        (local.set $a2 (i32x4.add (local.get $a2) (i32x4.extend_low_i16x8_u (local.get $hi))))
        (local.set $a3 (i32x4.add (local.get $a3) (i32x4.extend_high_i16x8_u (local.get $hi))))
        (local.set $p (i32.add (local.get $p) (local.get $len)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $r) (local.get $n))))
      (local.set $p (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
      (v128.store (local.get $p) (f32x4.convert_i32x4_u (local.get $a0)))
      (v128.store offset=16 (local.get $p) (f32x4.convert_i32x4_u (local.get $a1)))
      (v128.store offset=32 (local.get $p) (f32x4.convert_i32x4_u (local.get $a2)))
      (v128.store offset=48 (local.get $p) (f32x4.convert_i32x4_u (local.get $a3)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br_if $chunks (i32.lt_u (local.get $i) (local.get $len)))))
  ;; Sum a row of f32 B G R columns (at $src) over each of w spans of columns (i32 byte offsets from $src: start, end;
  ;; at $spans) into w columns at $dst (each written as four values, the fourth overwritten by the next).
  (func (export "narrow") (param $dst i32) (param $src i32) (param $spans i32) (param $w i32)
    (local $x i32) (local $p i32) (local $e i32) (local $acc v128)
    (loop $boxcols
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $src) (i32.load (local.get $spans))))
      (local.set $e (i32.add (local.get $src) (i32.load offset=4 (local.get $spans))))
      (loop $cols
        (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 12)))
        (br_if $cols (i32.lt_u (local.get $p) (local.get $e))))
      (v128.store (local.get $dst) (local.get $acc))
      (local.set $dst (i32.add (local.get $dst) (i32.const 12)))
      (local.set $spans (i32.add (local.get $spans) (i32.const 8)))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br_if $boxcols (i32.lt_u (local.get $x) (local.get $w)))))
  (func (export "columns") (param $cx i32)
    (local $base i32) (local $j i32) (local $n i32) (local $ay i32) (local $d v128) (local $t i32) (local $x i32)
    (local.set $base (i32.add (global.get $vOff)
      (i32.load (i32.add (global.get $jOff) (i32.shl (local.get $cx) (i32.const 2))))))
    (local.set $n (i32.add (global.get $J) (i32.const 1)))
    ;; down[j] = Σ over the atom rows of rk · (column j of the row)
    (loop $cols
      (local.set $d (v128.const f32x4 0 0 0 0))
      (local.set $ay (i32.const 0))
      (loop $rows
        (local.set $d (f32x4.add (local.get $d)
          (f32x4.mul (v128.load32_splat (i32.add (global.get $rkOff) (i32.shl (local.get $ay) (i32.const 2))))
            (v128.load (i32.add (i32.add (local.get $base) (i32.mul (local.get $j) (i32.const 12)))
              (i32.mul (local.get $ay) (global.get $rowBytes)))))))
        (local.set $ay (i32.add (local.get $ay) (i32.const 1)))
        (br_if $rows (i32.lt_u (local.get $ay) (i32.const 8))))
      (v128.store (i32.add (global.get $downOff) (i32.shl (local.get $j) (i32.const 4))) (local.get $d))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $cols (i32.lt_u (local.get $j) (local.get $n))))
    ;; each atom column: its two taps' weighted columns
    (local.set $t (i32.add (global.get $tapOff) (i32.shl (local.get $cx) (i32.const 7))))
    (loop $atoms
      (call $store3 (i32.add (i32.add (global.get $outOff) (i32.const 432)) (i32.mul (local.get $x) (i32.const 24)))
        (call $rgb (f32x4.add
          (f32x4.mul (v128.load (i32.add (global.get $downOff) (i32.load (local.get $t)))) (v128.load32_splat offset=8 (local.get $t)))
          (f32x4.mul (v128.load (i32.add (global.get $downOff) (i32.load offset=4 (local.get $t)))) (v128.load32_splat offset=12 (local.get $t))))))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br_if $atoms (i32.lt_u (local.get $x) (i32.const 8)))))
  (func (export "sums") (param $cx i32)
    (local $base i32) (local $w0 i32) (local $we i32) (local $ay i32) (local $p i32) (local $w i32) (local $o i32)
    (local $L v128) (local $R v128) (local $Q v128) (local $P v128) (local $C v128) (local $x v128)
    (local $T v128) (local $QQ v128) (local $k v128)
    (local.set $base (i32.add (global.get $vOff)
      (i32.load (i32.add (global.get $jOff) (i32.shl (local.get $cx) (i32.const 2))))))
    (local.set $w0 (i32.add (global.get $wOff) (i32.shl (i32.mul (local.get $cx) (global.get $J)) (i32.const 4))))
    (local.set $we (i32.add (local.get $w0) (i32.shl (global.get $J) (i32.const 4))))
    (local.set $T (v128.const f32x4 0 0 0 0))
    (local.set $QQ (v128.const f32x4 0 0 0 0))
    (local.set $o (global.get $outOff))
    (loop $rows
      (local.set $L (v128.const f32x4 0 0 0 0))
      (local.set $R (v128.const f32x4 0 0 0 0))
      (local.set $Q (v128.const f32x4 0 0 0 0))
      (local.set $P (v128.const f32x4 0 0 0 0))
      (local.set $C (v128.const f32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $base) (i32.mul (local.get $ay) (global.get $rowBytes))))
      (local.set $w (local.get $w0))
      (loop $cols
        ;; x = B G R (+ the next column's B); L += wl·x, R += wr·x, Q += qa·x² + qb(previous column)·x·x₋₁
        (local.set $x (v128.load (local.get $p)))
        (local.set $L (f32x4.add (local.get $L) (f32x4.mul (v128.load32_splat (local.get $w)) (local.get $x))))
        (local.set $R (f32x4.add (local.get $R) (f32x4.mul (v128.load32_splat offset=4 (local.get $w)) (local.get $x))))
        (local.set $Q (f32x4.add (local.get $Q)
          (f32x4.add (f32x4.mul (v128.load32_splat offset=8 (local.get $w)) (f32x4.mul (local.get $x) (local.get $x)))
                     (f32x4.mul (local.get $C) (f32x4.mul (local.get $x) (local.get $P))))))
        (local.set $C (v128.load32_splat offset=12 (local.get $w)))
        (local.set $P (local.get $x))
        (local.set $p (i32.add (local.get $p) (i32.const 12)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (br_if $cols (i32.lt_u (local.get $w) (local.get $we))))
      (local.set $k (v128.load32_splat (i32.add (global.get $rkOff) (i32.shl (local.get $ay) (i32.const 2)))))
      (local.set $L (call $rgb (f32x4.mul (local.get $L) (local.get $k))))
      (local.set $R (call $rgb (f32x4.mul (local.get $R) (local.get $k))))
      (local.set $T (f32x4.add (local.get $T) (f32x4.add (local.get $L) (local.get $R))))
      (local.set $QQ (f32x4.add (local.get $QQ) (f32x4.mul (local.get $Q) (f32x4.mul (local.get $k) (local.get $k)))))
      ;; (the fourth value is overwritten by the next row's, or falls in the gap after the last)
      (call $store3 (local.get $o) (local.get $L))
      (call $store3 (i32.add (local.get $o) (i32.const 200)) (local.get $R))
      (local.set $o (i32.add (local.get $o) (i32.const 24)))
      (local.set $ay (i32.add (local.get $ay) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $ay) (i32.const 8))))
    ;; q: Σ of the B G R lanes; the totals in R G B order
    (f64.store offset=400 (global.get $outOff)
      (f64.add (f64.add (f64.promote_f32 (f32x4.extract_lane 0 (local.get $QQ)))
                        (f64.promote_f32 (f32x4.extract_lane 1 (local.get $QQ))))
               (f64.promote_f32 (f32x4.extract_lane 2 (local.get $QQ)))))
    (f64.store offset=408 (global.get $outOff) (f64.promote_f32 (f32x4.extract_lane 0 (local.get $T))))
    (f64.store offset=416 (global.get $outOff) (f64.promote_f32 (f32x4.extract_lane 1 (local.get $T))))
    (f64.store offset=424 (global.get $outOff) (f64.promote_f32 (f32x4.extract_lane 2 (local.get $T)))))
)
