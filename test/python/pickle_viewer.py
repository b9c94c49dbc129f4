"""Pickle viewer in the style of the tutorials: connects, reads "Q" length + pickle, prints frame lines instead of imshow."""
import pickle
import socket
import struct

from tutorial_common import frame_line, parser

args = parser(__doc__).parse_args()

client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client_socket.connect((args.host, args.port))
data = b""
payload_size = struct.calcsize("Q")
count = 0
while count < args.frames:
    while len(data) < payload_size:
        packet = client_socket.recv(4 * 1024)
        if not packet:
            break
        data += packet
    if len(data) < payload_size:
        break
    packed_msg_size = data[:payload_size]
    data = data[payload_size:]
    msg_size = struct.unpack("Q", packed_msg_size)[0]
    while len(data) < msg_size:
        packet = client_socket.recv(4 * 1024)
        if not packet:
            break
        data += packet
    frame_data = data[:msg_size]
    data = data[msg_size:]
    frame = pickle.loads(frame_data)  # what the tutorials do; termcall never does this
    print(frame_line(count, frame), flush=True)
    count += 1
client_socket.close()
print("done", count, flush=True)
