"""Raw sender in the style of the tutorials: a TCP server that sends frame.tobytes() with no framing."""
import socket

from tutorial_common import frames, parser

args = parser(__doc__, default_size="640x480").parse_args()

server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server_socket.bind((args.host, args.port))
server_socket.listen(5)
print("listening", server_socket.getsockname()[1], flush=True)

conn, addr = server_socket.accept()
count = 0
for frame in frames(args):
    conn.sendall(frame.tobytes())
    count += 1
conn.close()
server_socket.close()
print("sent", count, flush=True)
