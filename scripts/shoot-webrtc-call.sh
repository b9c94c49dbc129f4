#!/bin/sh
# Screenshots of a call-code (WebRTC) call on the real call screen: two xterms under Xvfb, alice runs
# `termcall call --code`, bob `termcall answer CODE` (the code taken from alice's code file); xdotool types bob's
# answer code into alice's field, within the ~14 s an answer code has. Both use a passphrase.
# Shots in OUTDIR: webrtc-code-offer.png, webrtc-code-answer.png, webrtc-call-screen.png (alice), webrtc-call-bob.png.
# Usage: scripts/shoot-webrtc-call.sh [OUTDIR]   (default docs/; README shows the first three)
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-docs}
. scripts/lib-shoot.sh
SECRET="four random words here"
shoot_xterm alice 100x32+0+0 node bin/termcall call --code --secret "$SECRET" --no-listen --name alice --source fixtures/clip.mp4 --log-file "$TMP/alice.log"
ALICE=$!
for _ in $(seq 150); do [ -s "$TMP/state-alice/termcall/call-code.txt" ] && break; sleep 0.2; done
sleep 1
shoot_png "$ALICE" "$OUT/webrtc-code-offer.png"
shoot_xterm bob 100x32+0+560 node bin/termcall answer --secret "$SECRET" "$(cat "$TMP/state-alice/termcall/call-code.txt")" --no-listen --name bob --source test --log-file "$TMP/bob.log"
BOB=$!
for _ in $(seq 150); do [ -s "$TMP/state-bob/termcall/answer-code.txt" ] && break; sleep 0.2; done
sleep 1
shoot_png "$BOB" "$OUT/webrtc-code-answer.png"
shoot_focus "$ALICE"
xdotool type --delay 5 "$(cat "$TMP/state-bob/termcall/answer-code.txt")"
xdotool key Return
sleep "${SHOT_WAIT_S:-15}"
shoot_png "$ALICE" "$OUT/webrtc-call-screen.png"
shoot_png "$BOB" "$OUT/webrtc-call-bob.png"
kill "$ALICE" "$BOB" 2>/dev/null || true
grep -h -e 'connected to' -e 'did not connect' -e 'refused' "$TMP/alice.log" "$TMP/bob.log" || true
