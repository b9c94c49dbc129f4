#!/usr/bin/env python3
"""Records the tutorial wire streams termcall's tests replay, with real Python pickle and numpy.

Run with Debian's interpreter (numpy 1.x, e.g. 1.24):  /usr/bin/python3 scripts/make-pickle-fixtures.py
Writes:
  fixtures/pickle/<W>x<H>-p<protocol>-np<1|2>.bin  pickle wire streams ("Q" length + pickle.dumps(frame), repeated):
        4x4 with 3 frames and 160x120 with 1 frame, pickle protocols 2-5, numpy 1 and numpy 2 module names;
        plus gray-4x4-p4-np1.bin (2-D grayscale) and strided-4x4-p5-np1.bin (non-contiguous: protocol 5 falls back
        to _reconstruct). manifest.json lists each file's frames (size, channels, sha256 of the BGR bytes expected).
  fixtures/raw/<W>x<H>-<n>frames.bgr               raw wire streams (frame.tobytes() back to back) + manifest.json.
  fixtures/bad/*                                   hostile or broken inputs named after what they break + manifest.json
        (the error code and a fragment of the message termcall must give). *.pkl are bare pickles, *.bin wire streams.
        The payloads that would run code create the file "termcall-pwned-marker" in the current directory.

numpy 2 names without numpy 2: numpy 2 pickles differ from numpy 1 ones only in where the reconstructing function
lives (numpy._core.multiarray._reconstruct instead of numpy.core.multiarray._reconstruct; numpy._core.numeric._frombuffer
for protocol 5). Numpy2NamesPickler is a pickle.Pickler whose reducer_override takes ndarray.__reduce_ex__(protocol)
unchanged and swaps only that function for a stand-in whose __module__/__qualname__ are the numpy 2 names; the
stand-ins live in fake modules registered in sys.modules, so the real pickle module finds them and writes the names
itself (memo, framing and every other byte come from the real pickler and numpy). With --check-numpy2 PYTHON the
script asks an interpreter that has real numpy >= 2 to pickle the same frames and checks the bytes are identical
(this was done with numpy 2.4.6 when the fixtures were made).
"""
import argparse
import hashlib
import json
import os
import pickle
import struct
import subprocess
import sys
import types

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.dont_write_bytecode = True  # keep __pycache__ out of test/python
sys.path.insert(0, os.path.join(ROOT, "test", "python"))
from tutorial_common import pattern  # noqa: E402

MARKER = "termcall-pwned-marker"


def fake_function(module, name):
    """A stand-in function reachable as module.name through a fake module in sys.modules."""

    def stand_in(*args):
        raise RuntimeError("stand-in for " + module + "." + name + " is only for pickling")

    stand_in.__module__ = module
    stand_in.__qualname__ = name
    stand_in.__name__ = name
    parts = module.split(".")
    for i in range(2, len(parts) + 1):
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    setattr(sys.modules[module], name, stand_in)
    return stand_in


if int(np.__version__.split(".")[0]) >= 2:
    sys.exit("run this with numpy 1.x (Debian's /usr/bin/python3); it fakes the numpy 2 names")

NP2_NAMES = {
    np.core.multiarray._reconstruct: fake_function("numpy._core.multiarray", "_reconstruct"),
    np.core.numeric._frombuffer: fake_function("numpy._core.numeric", "_frombuffer"),
}


class Numpy2NamesPickler(pickle.Pickler):
    """Pickles ndarrays exactly as numpy 1 does, but names numpy 2's module for the reconstructing function."""

    def __init__(self, f, protocol):
        super().__init__(f, protocol=protocol)
        self.protocol = protocol

    def reducer_override(self, obj):
        if type(obj) is np.ndarray:
            rv = obj.__reduce_ex__(self.protocol)
            return (NP2_NAMES[rv[0]],) + tuple(rv[1:])
        return NotImplemented


def dumps(obj, protocol, numpy_major):
    """pickle.dumps with numpy 1 or numpy 2 module names."""
    if numpy_major == 1:
        return pickle.dumps(obj, protocol=protocol)
    import io

    f = io.BytesIO()
    Numpy2NamesPickler(f, protocol=protocol).dump(obj)
    return f.getvalue()


def message(data):
    """One pickle wire message."""
    return struct.pack("Q", len(data)) + data


def bgr_sha(frame):
    """sha256 of the BGR bytes termcall should produce (grayscale expanded to 3 channels)."""
    if frame.ndim == 2 or frame.shape[2] == 1:
        g = frame.reshape(frame.shape[0], frame.shape[1])
        frame = np.dstack([g, g, g])
    return hashlib.sha256(np.ascontiguousarray(frame).tobytes()).hexdigest()


def describe(frame):
    """Manifest entry of one frame."""
    return {"width": frame.shape[1], "height": frame.shape[0], "channels": 1 if frame.ndim == 2 else frame.shape[2],
            "sha256": bgr_sha(frame)}


def write(path, data):
    """Writes a fixture file."""
    with open(os.path.join(ROOT, path), "wb") as f:
        f.write(data)


def good_pickles():
    """The recorded pickle streams and their manifest."""
    manifest = {}
    for (w, h, n) in ((4, 4, 3), (160, 120, 1)):
        for proto in (2, 3, 4, 5):
            for major in (1, 2):
                frames = [pattern(i, w, h) for i in range(n)]
                name = f"{w}x{h}-p{proto}-np{major}.bin"
                write("fixtures/pickle/" + name, b"".join(message(dumps(f, proto, major)) for f in frames))
                manifest[name] = [describe(f) for f in frames]
    gray = pattern(0, 4, 4)[:, :, 1].copy()
    write("fixtures/pickle/gray-4x4-p4-np1.bin", message(pickle.dumps(gray, protocol=4)))
    manifest["gray-4x4-p4-np1.bin"] = [describe(gray)]
    strided = pattern(1, 8, 4)[:, ::2, :]  # not contiguous: protocol 5 uses _reconstruct, not _frombuffer
    assert not strided.flags.c_contiguous
    data = pickle.dumps(strided, protocol=5)
    assert b"_reconstruct" in data
    write("fixtures/pickle/strided-4x4-p5-np1.bin", message(data))
    manifest["strided-4x4-p5-np1.bin"] = [describe(strided)]
    write("fixtures/pickle/manifest.json", (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())


def raw_streams():
    """The recorded raw streams and their manifest."""
    manifest = {}
    for (w, h, n) in ((4, 4, 3), (160, 120, 2)):
        frames = [pattern(i, w, h) for i in range(n)]
        name = f"{w}x{h}-{n}frames.bgr"
        write("fixtures/raw/" + name, b"".join(f.tobytes() for f in frames))
        manifest[name] = [describe(f) for f in frames]
    write("fixtures/raw/manifest.json", (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())


class Call:
    """Pickles as a call of fn(*args): what an attacker's payload looks like."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


class OverridePickler(pickle.Pickler):
    """Pickles the ndarray through a custom reduce function, to build broken array pickles with real opcodes."""

    def __init__(self, f, protocol, reduce_fn):
        super().__init__(f, protocol=protocol)
        self.reduce_fn = reduce_fn

    def reducer_override(self, obj):
        if type(obj) is np.ndarray:
            return self.reduce_fn(obj)
        return NotImplemented


def dumps_override(obj, protocol, reduce_fn):
    """Pickles obj with a custom ndarray reduction."""
    import io

    f = io.BytesIO()
    OverridePickler(f, protocol, reduce_fn).dump(obj)
    return f.getvalue()


def bad_inputs():
    """Hostile and broken inputs, each named after what it breaks, and what termcall must say about each."""
    import builtins

    frame = pattern(0, 4, 4)
    good4 = pickle.dumps(frame, protocol=4)
    bad = {}

    def add(name, data, code, match):
        write("fixtures/bad/" + name, data)
        bad[name] = {"code": code, "match": match}

    touch = "touch " + MARKER
    add("os-system-global-p2.pkl", pickle.dumps(Call(os.system, touch), protocol=2), "ERR_PICKLE_REJECTED",
        "global posix.system is not allowed")
    add("os-system-stack-global-p4.pkl", pickle.dumps(Call(os.system, touch), protocol=4), "ERR_PICKLE_REJECTED",
        "global posix.system is not allowed")
    add("builtins-eval-p4.pkl", pickle.dumps(Call(builtins.eval, f"open({MARKER!r}, 'w')"), protocol=4),
        "ERR_PICKLE_REJECTED", "global builtins.eval is not allowed")

    def nested_in_state(a):
        rv = a.__reduce_ex__(4)
        state = list(rv[2])
        state[4] = Call(os.system, touch)  # the pixel data is a call
        return (rv[0], rv[1], tuple(state))

    add("nested-global-in-array-state-p4.pkl", dumps_override(frame, 4, nested_in_state), "ERR_PICKLE_REJECTED",
        "global posix.system is not allowed")

    def nested_in_args(a):
        rv = a.__reduce_ex__(2)
        return (rv[0], (rv[1][0], Call(builtins.eval, f"open({MARKER!r}, 'w')"), rv[1][2]), rv[2])

    add("nested-global-in-reconstruct-args-p2.pkl", dumps_override(frame, 2, nested_in_args), "ERR_PICKLE_REJECTED",
        "global __builtin__.eval is not allowed")  # protocol 2 writes Python 2 names
    # numpy's own globals called with other arguments: ndarray called directly, dtype object
    add("ndarray-called-p4.pkl", pickle.dumps(Call(np.ndarray, (4, 4, 3)), protocol=4), "ERR_PICKLE_REJECTED",
        "ndarray is not callable")
    add("dtype-object-p4.pkl", pickle.dumps(frame.astype(object), protocol=4), "ERR_PICKLE_REJECTED", "not uint8")
    add("dtype-float32-p4.pkl", pickle.dumps(frame.astype(np.float32), protocol=4), "ERR_PICKLE_REJECTED",
        "not uint8")
    add("dtype-uint16-p5.pkl", pickle.dumps(frame.astype(np.uint16), protocol=5), "ERR_PICKLE_REJECTED",
        "not uint8")
    add("dtype-int8-p3.pkl", pickle.dumps(frame.astype(np.int8), protocol=3), "ERR_PICKLE_REJECTED", "not uint8")
    add("shape-4-channels-p4.pkl", pickle.dumps(np.zeros((4, 4, 4), np.uint8), protocol=4), "ERR_PICKLE_REJECTED",
        "4 channels")
    add("shape-1d-p4.pkl", pickle.dumps(np.zeros(48, np.uint8), protocol=4), "ERR_PICKLE_REJECTED", "1 dimensions")
    add("shape-4d-p5.pkl", pickle.dumps(np.zeros((1, 4, 4, 3), np.uint8), protocol=5), "ERR_PICKLE_REJECTED",
        "4 dimensions")
    add("shape-empty-p4.pkl", pickle.dumps(np.zeros((0, 4, 3), np.uint8), protocol=4), "ERR_PICKLE_REJECTED",
        "empty shape")
    add("fortran-order-p4.pkl", pickle.dumps(np.asfortranarray(frame), protocol=4), "ERR_PICKLE_REJECTED",
        "Fortran order")
    add("fortran-order-p5.pkl", pickle.dumps(np.asfortranarray(frame), protocol=5), "ERR_PICKLE_REJECTED",
        "Fortran order")

    def short_data(a):
        rv = a.__reduce_ex__(4)
        state = list(rv[2])
        state[4] = state[4][:-1]
        return (rv[0], rv[1], tuple(state))

    add("size-mismatch-data-short-p4.pkl", dumps_override(frame, 4, short_data), "ERR_PICKLE_REJECTED",
        "needs 48 bytes, data has 47")

    def huge_shape(a):
        rv = a.__reduce_ex__(4)
        state = list(rv[2])
        state[1] = (2160, 3841, 3)
        return (rv[0], rv[1], tuple(state))

    add("frame-over-max-bytes-p4.pkl", dumps_override(frame, 4, huge_shape), "ERR_PICKLE_REJECTED",
        "TUTORIAL_MAX_FRAME_BYTES")

    def wide_shape(a):
        rv = a.__reduce_ex__(4)
        state = list(rv[2])
        state[1] = (1, 4097, 3)
        return (rv[0], rv[1], tuple(state))

    add("frame-side-over-max-p4.pkl", dumps_override(frame, 4, wide_shape), "ERR_PICKLE_REJECTED",
        "MAX_FRAME_SIDE_PX")
    add("truncated-pickle-p4.pkl", good4[:-10], "ERR_PICKLE_REJECTED", "truncated")
    add("trailing-bytes-p4.pkl", good4 + b"\x00", "ERR_PICKLE_REJECTED", "after STOP")
    add("protocol-0.pkl", pickle.dumps(frame, protocol=0), "ERR_PICKLE_REJECTED", "PROTO")
    add("protocol-1.pkl", pickle.dumps(frame, protocol=1), "ERR_PICKLE_REJECTED", "PROTO")
    add("list-of-arrays-p4.pkl", pickle.dumps([frame], protocol=4), "ERR_PICKLE_REJECTED", "opcode 0x5d")
    add("too-many-opcodes-p4.pkl", b"\x80\x04" + b"N" * 600 + b".", "ERR_PICKLE_REJECTED",
        "TUTORIAL_PICKLE_MAX_OPCODES")
    # wire streams (.bin): length prefix problems
    add("stream-huge-length.bin", struct.pack("Q", 1 << 40) + good4, "ERR_MESSAGE_TOO_LARGE", "length prefix")
    add("stream-length-over-limit.bin", struct.pack("Q", 2 * 3840 * 2160 * 3 + 4096 + 1) + good4,
        "ERR_MESSAGE_TOO_LARGE", "TUTORIAL_MAX_PICKLE_BYTES")
    add("stream-truncated-body.bin", message(good4)[:-5], "ERR_PEER_CLOSED", "truncated")
    add("stream-zero-length.bin", struct.pack("Q", 0), "ERR_PICKLE_REJECTED", "length 0")
    write("fixtures/bad/manifest.json", (json.dumps(bad, indent=1, sort_keys=True) + "\n").encode())


def check_numpy2(python):
    """Compares Numpy2NamesPickler's bytes with those of a real numpy >= 2."""
    code = (
        "import sys,pickle,numpy as np;sys.dont_write_bytecode=True;sys.path.insert(0,sys.argv[1]);from tutorial_common import pattern;"
        "assert int(np.__version__.split('.')[0])>=2;"
        "sys.stdout.buffer.write(b''.join(pickle.dumps(pattern(i,w,h),protocol=p)"
        " for (w,h) in ((4,4),(160,120)) for p in (2,3,4,5) for i in range(2)))"
    )
    real = subprocess.run([python, "-c", code, os.path.join(ROOT, "test", "python")], check=True,
                          capture_output=True).stdout
    ours = b"".join(dumps(pattern(i, w, h), p, 2) for (w, h) in ((4, 4), (160, 120)) for p in (2, 3, 4, 5)
                    for i in range(2))
    if real != ours:
        sys.exit("numpy 2 names differ from real numpy 2's pickles")
    print("numpy 2 pickles identical to", python)


def main():
    """Writes every fixture."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check-numpy2", metavar="PYTHON", help="an interpreter with numpy >= 2 to compare against")
    args = ap.parse_args()
    for d in ("fixtures/pickle", "fixtures/raw", "fixtures/bad"):
        os.makedirs(os.path.join(ROOT, d), exist_ok=True)
    good_pickles()
    raw_streams()
    bad_inputs()
    if args.check_numpy2:
        check_numpy2(args.check_numpy2)


if __name__ == "__main__":
    main()
