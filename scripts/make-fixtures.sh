#!/usr/bin/env bash
# Rebuilds fixtures/clip.mp4: a 4 s 640x480 30 fps "webcam" scene made only from ffmpeg's synthetic sources —
# a lit wall with a doorway, a person-like subject swaying across it, and camera-like temporal sensor noise.
# The output is deterministic for a given ffmpeg build (fixed seeds, single thread).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || { echo "make-fixtures: ffmpeg is needed (apt-get install ffmpeg)" >&2; exit 1; }
out=fixtures/clip.mp4
graph="
[0:v]format=rgb24,drawbox=x=430:y=90:w=150:h=390:color=0x5a4636:t=fill,drawbox=x=40:y=60:w=170:h=120:color=0xb8c8d8:t=fill,drawbox=x=40:y=60:w=170:h=120:color=0x6a5a4a:t=6[room];
[1:v]format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(pow((X-70)/70,2)+pow((Y-85)/85,2),1),255,0)'[head];
[2:v]format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(pow((X-130)/130,2)+pow((Y-200)/140,2),1),255,0)'[body];
[room][body]overlay=x='200+70*sin(t*1.7)':y=300:shortest=1[a];
[a][head]overlay=x='260+70*sin(t*1.7)+12*sin(t*5)':y='150+8*sin(t*3.1)':shortest=1[b];
[b]gblur=sigma=0.8,noise=alls=9:allf=t+u:all_seed=42,format=yuv420p[v]"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "gradients=s=640x480:r=30:d=4:c0=0xd9c7a8:c1=0x8c7a66:x0=0:y0=0:x1=640:y1=480:speed=0.002:seed=7" \
  -f lavfi -i "color=c=0xd8a080:s=140x170:r=30:d=4" \
  -f lavfi -i "color=c=0x2f4f7f:s=260x280:r=30:d=4" \
  -filter_complex "$graph" -map '[v]' -t 4 -threads 1 \
  -c:v libx264 -preset slow -crf 20 -g 60 -bf 0 -movflags +faststart "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"

# fixtures/speech.wav: the demo peer's voice, a short espeak-ng sentence (16 kHz mono 16-bit, small enough to commit;
# termcall resamples it to 48 kHz). Deterministic for a given espeak-ng build.
if command -v espeak-ng >/dev/null && command -v sox >/dev/null; then
  tmp=$(mktemp -d)
  espeak-ng -v en-us -s 150 -w "$tmp/s.wav" "Hello from the termcall demo. Can you hear me?"
  sox -D "$tmp/s.wav" -r 16000 -c 1 -b 16 fixtures/speech.wav pad 0 0.8
  rm -rf "$tmp"
  echo "wrote fixtures/speech.wav ($(stat -c %s fixtures/speech.wav) bytes)"
else
  echo "make-fixtures: espeak-ng and sox are needed for fixtures/speech.wav (apt-get install espeak-ng sox)" >&2
  exit 1
fi
