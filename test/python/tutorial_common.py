"""Shared bits of the tutorial-style test programs: a test pattern, a checksum, argument parsing.

The programs themselves stay close to the Python tutorials termcall grew from (socket + struct + pickle + numpy,
cv2 only for --video). Instead of cv2.imshow, viewers print one line per frame and a summary:
    frame <index> <W>x<H>x<C> <sha256 of frame.tobytes(), first 16 hex digits>
    done <count>
"""
import argparse
import hashlib

import numpy as np


def pattern(index, width, height):
    """A uint8 HxWx3 BGR frame that changes with its index (the TS tests compute the same formula)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    b = (x * 7 + index * 5) % 256
    g = (y * 11 + index * 3) % 256
    r = (x * 3 + y * 5 + index * 17) % 256
    return np.dstack([b, g, r]).astype(np.uint8)


def checksum(frame):
    """First 16 hex digits of the sha256 of the frame's bytes."""
    return hashlib.sha256(frame.tobytes()).hexdigest()[:16]


def frame_line(index, frame):
    """The line a viewer prints for a frame."""
    h, w = frame.shape[:2]
    c = frame.shape[2] if frame.ndim == 3 else 1
    return f"frame {index} {w}x{h}x{c} {checksum(frame)}"


def size(spec):
    """Parses WxH."""
    w, h = spec.lower().split("x")
    return int(w), int(h)


def frames(args):
    """Yields the frames to send: from --video (resized with cv2) or the generated pattern."""
    width, height = args.size
    if args.video:
        import cv2  # only needed for a video file

        cap = cv2.VideoCapture(args.video)
        sent = 0
        while sent < args.frames:
            ok, frame = cap.read()
            if not ok:
                break
            yield cv2.resize(frame, (width, height))
            sent += 1
        cap.release()
        return
    for i in range(args.frames):
        yield pattern(i, width, height)


def parser(description, default_size="160x120"):
    """Common options: --host, --port (0 = any free port, printed as 'listening PORT'), --frames, --size, --video."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--frames", type=int, default=5)
    p.add_argument("--size", type=size, default=size(default_size))
    p.add_argument("--video", default=None)
    return p
