#!/bin/sh
# Screenshots of a call-code (WebRTC) call on the real call screen: two xterms under Xvfb, alice runs
# `termcall call --code`, bob `termcall answer CODE` (the code taken from alice's code file); xdotool types bob's
# answer code into alice's field, within the ~14 s an answer code has. Both use a passphrase.
# Shots in OUTDIR: webrtc-code-offer.png, webrtc-code-answer.png, webrtc-call-screen.png (alice), webrtc-call-bob.png.
# Usage: scripts/shoot-webrtc-call.sh [OUTDIR]   (default docs/; README shows the first three)
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-docs}
TMP=$(mktemp -d)
DISPLAY_NO=":2$(( $$ % 80 + 10 ))"
Xvfb "$DISPLAY_NO" -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 1
export DISPLAY=$DISPLAY_NO
SECRET="four random words here"
xt() { # name geometry command...
  name=$1; geo=$2; shift 2
  xterm -geometry "$geo" -fa 'DejaVu Sans Mono' -fs 10 -bg black -fg grey90 -title "$name" -e env XDG_CONFIG_HOME="$TMP/cfg" \
    XDG_STATE_HOME="$TMP/state-$name" "$@" &
}
shot() { # pid file
  wid=$(xdotool search --pid "$1" | head -1)
  import -window "$wid" "$TMP/shot.png"
  convert "$TMP/shot.png" -colors 256 -strip "$2"
  echo "$2: $(wc -c < "$2") bytes"
}
xt alice 100x32+0+0 node bin/termcall call --code --secret "$SECRET" --no-listen --name alice --source fixtures/clip.mp4 --log-file "$TMP/alice.log"
ALICE=$!
for _ in $(seq 150); do [ -s "$TMP/state-alice/termcall/call-code.txt" ] && break; sleep 0.2; done
sleep 1
shot "$ALICE" "$OUT/webrtc-code-offer.png"
xt bob 100x32+0+560 node bin/termcall answer --secret "$SECRET" "$(cat "$TMP/state-alice/termcall/call-code.txt")" --no-listen --name bob --source test --log-file "$TMP/bob.log"
BOB=$!
for _ in $(seq 150); do [ -s "$TMP/state-bob/termcall/answer-code.txt" ] && break; sleep 0.2; done
sleep 1
shot "$BOB" "$OUT/webrtc-code-answer.png"
# xterm ignores synthetic (XSendEvent) keys: point at alice's window (focus follows the pointer) and use XTEST
WID=$(xdotool search --pid "$ALICE" | head -1)
xdotool mousemove --window "$WID" 20 20
xdotool type --delay 5 "$(cat "$TMP/state-bob/termcall/answer-code.txt")"
xdotool key Return
sleep "${SHOT_WAIT_S:-15}"
shot "$ALICE" "$OUT/webrtc-call-screen.png"
shot "$BOB" "$OUT/webrtc-call-bob.png"
kill "$ALICE" "$BOB" 2>/dev/null || true
grep -h -e 'connected to' -e 'did not connect' -e 'refused' "$TMP/alice.log" "$TMP/bob.log" || true
