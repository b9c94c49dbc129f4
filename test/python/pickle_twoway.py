"""Two-way pickle program: one connection, a thread sends frames while the main thread receives and prints them.

With --port 0 it listens (prints 'listening PORT'); with --connect it connects to --host/--port.
"""
import pickle
import socket
import struct
import threading

from tutorial_common import frame_line, frames, parser

p = parser(__doc__)
p.add_argument("--connect", action="store_true")
args = p.parse_args()

if args.connect:
    conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    conn.connect((args.host, args.port))
else:
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.bind((args.host, args.port))
    server_socket.listen(1)
    print("listening", server_socket.getsockname()[1], flush=True)
    conn, addr = server_socket.accept()
    server_socket.close()


def send_all():
    for frame in frames(args):
        a = pickle.dumps(frame)
        conn.sendall(struct.pack("Q", len(a)) + a)


sender = threading.Thread(target=send_all)
sender.start()

data = b""
payload_size = struct.calcsize("Q")
count = 0
while count < args.frames:
    while len(data) < payload_size:
        packet = conn.recv(4 * 1024)
        if not packet:
            break
        data += packet
    if len(data) < payload_size:
        break
    msg_size = struct.unpack("Q", data[:payload_size])[0]
    data = data[payload_size:]
    while len(data) < msg_size:
        packet = conn.recv(4 * 1024)
        if not packet:
            break
        data += packet
    frame = pickle.loads(data[:msg_size])
    data = data[msg_size:]
    print(frame_line(count, frame), flush=True)
    count += 1
sender.join()
conn.shutdown(socket.SHUT_RDWR)
conn.close()
print("done", count, flush=True)
