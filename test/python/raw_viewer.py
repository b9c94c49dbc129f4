"""Raw viewer in the style of the tutorials, fixed to reassemble frames by size (one recv is not one frame)."""
import socket

import numpy as np

from tutorial_common import frame_line, parser

args = parser(__doc__, default_size="640x480").parse_args()
width, height = args.size
frame_bytes = width * height * 3

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.connect((args.host, args.port))
buf = bytearray()
count = 0
while count < args.frames:
    packet = sock.recv(64 * 1024)
    if not packet:
        break
    buf += packet
    while len(buf) >= frame_bytes and count < args.frames:
        frame = np.frombuffer(bytes(buf[:frame_bytes]), dtype=np.uint8).reshape(height, width, 3)
        del buf[:frame_bytes]
        print(frame_line(count, frame), flush=True)
        count += 1
sock.close()
print("done", count, flush=True)
