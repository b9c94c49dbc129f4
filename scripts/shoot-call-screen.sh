#!/bin/sh
# Screenshots of the call screen in a real xterm (Xvfb + xterm + ImageMagick's import), one per window size:
# docs/call-screen-COLSxROWS.png. A headless termcall (alice) streams the clip and chats from a FIFO; the TUI in xterm
# (bob) calls it, and xdotool types bob's answer. CJK needs a font with wide glyphs: apt-get install fonts-wqy-microhei.
# Usage: scripts/shoot-call-screen.sh [COLSxROWS ...]   (default: 120x40 80x24 200x60 40x12)
set -eu
cd "$(dirname "$0")/.."
SIZES=${*:-120x40 80x24 200x60 40x12}
TMP=$(mktemp -d)
DISPLAY_NO=":2$(( $$ % 80 + 10 ))"
Xvfb "$DISPLAY_NO" -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 1
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
  DISPLAY=$DISPLAY_NO xterm -geometry "${cols}x${rows}+0+0" -fa 'DejaVu Sans Mono' -fd 'WenQuanYi Micro Hei Mono' -fs 10 \
    -bg black -fg grey90 -e env XDG_CONFIG_HOME="$TMP/cfg" XDG_STATE_HOME="$TMP/state" \
    node bin/termcall call "127.0.0.1:$port" --no-listen --name bob --source test --log-file "$TMP/bob.log" &
  XTERM=$!
  sleep 8
  printf 'hi bob, can you see the fountain?\n' > "$TMP/chat"
  sleep 2
  WID=$(DISPLAY=$DISPLAY_NO xdotool search --pid "$XTERM" | head -1)
  # xterm ignores synthetic (XSendEvent) keys: point at it (no window manager: focus follows the pointer) and use XTEST
  DISPLAY=$DISPLAY_NO xdotool mousemove --window "$WID" 20 20
  DISPLAY=$DISPLAY_NO xdotool key Return
  sleep 0.5
  DISPLAY=$DISPLAY_NO xdotool type --delay 40 'yes! loud and clear'
  DISPLAY=$DISPLAY_NO xdotool key Return
  sleep 1
  printf '日本語も大丈夫 — see you at 5\n' > "$TMP/chat"
  sleep 2
  DISPLAY=$DISPLAY_NO xdotool key Escape
  # let the graphs fill a good part of their minute
  sleep "${SHOT_WAIT_S:-40}"
  DISPLAY=$DISPLAY_NO import -window "$WID" "$TMP/shot.png"
  # 256 colours keep the PNG small; the terminal's own palette is far below that anyway outside the video
  # the widest shot is scaled to 60% to stay small; it is there to show the layout
  scale=100; [ "$cols" -ge 160 ] && scale=60
  convert "$TMP/shot.png" -resize "${scale}%" -colors 256 -strip "docs/call-screen-${cols}x${rows}.png"
  echo "docs/call-screen-${cols}x${rows}.png: $(wc -c < "docs/call-screen-${cols}x${rows}.png") bytes"
  kill "$XTERM" "$ALICE" "$KEEP" 2>/dev/null || true
  wait "$ALICE" 2>/dev/null || true
  rm -f "$TMP/chat"
done
