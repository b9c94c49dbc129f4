#!/bin/sh
# Screenshots of the call screen in a real xterm (Xvfb + xterm + ImageMagick's import), one per window size:
# docs/call-screen-COLSxROWS.png. A headless termcall (alice) streams the clip and chats from a FIFO; the TUI in xterm
# (bob) calls it, and xdotool types bob's answer. CJK needs a font with wide glyphs: apt-get install fonts-wqy-microhei.
# Usage: scripts/shoot-call-screen.sh [COLSxROWS ...]   (default: 120x40 80x24 200x60 40x12)
set -eu
cd "$(dirname "$0")/.."
SIZES=${*:-120x40 80x24 200x60 40x12}
. scripts/lib-shoot.sh
for size in $SIZES; do
  cols=${size%x*}; rows=${size#*x}
  mkfifo "$TMP/chat"
  # alice: headless, auto-accept, the clip; chat lines come from the FIFO (kept open by the sleep)
  (sleep 120 > "$TMP/chat") &
  KEEP=$!
  node bin/termcall listen --headless --auto-accept --port 0 --bind 127.0.0.1 --name alice --source fixtures/clip.mp4 \
    --log-file "$TMP/alice.log" < "$TMP/chat" > "$TMP/alice.out" 2>&1 &
  ALICE=$!
  port=''
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/alice.out")
    [ -n "$port" ] && break
    sleep 0.2
  done
  shoot_xterm bob "${cols}x${rows}+0+0" node bin/termcall call "127.0.0.1:$port" --no-listen --name bob --source test \
    --log-file "$TMP/bob.log"
  XTERM=$!
  sleep 8
  printf 'hi bob, can you see the fountain?\n' > "$TMP/chat"
  sleep 2
  shoot_focus "$XTERM"
  xdotool key Return
  sleep 0.5
  xdotool type --delay 40 'yes! loud and clear'
  xdotool key Return
  sleep 1
  printf '日本語も大丈夫 — see you at 5\n' > "$TMP/chat"
  sleep 2
  xdotool key Escape
  # let the graphs fill a good part of their minute
  sleep "${SHOT_WAIT_S:-40}"
  # the widest shot is scaled to 60% to stay small; it is there to show the layout
  scale=100; [ "$cols" -ge 160 ] && scale=60
  shoot_png "$XTERM" "docs/call-screen-${cols}x${rows}.png" -resize "${scale}%"
  kill "$XTERM" "$ALICE" "$KEEP" 2>/dev/null || true
  wait "$ALICE" 2>/dev/null || true
  rm -f "$TMP/chat"
done
