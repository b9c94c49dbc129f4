"""Pickle sender in the style of the tutorials: a TCP server that sends struct.pack("Q", len(data)) + pickle.dumps(frame)."""
import pickle
import socket
import struct

from tutorial_common import frames, parser

p = parser(__doc__)
p.add_argument("--protocol", type=int, default=pickle.DEFAULT_PROTOCOL)
args = p.parse_args()

server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server_socket.bind((args.host, args.port))
server_socket.listen(5)
print("listening", server_socket.getsockname()[1], flush=True)

client_socket, addr = server_socket.accept()
count = 0
for frame in frames(args):
    a = pickle.dumps(frame, protocol=args.protocol)
    message = struct.pack("Q", len(a)) + a
    client_socket.sendall(message)
    count += 1
client_socket.close()
server_socket.close()
print("sent", count, flush=True)
