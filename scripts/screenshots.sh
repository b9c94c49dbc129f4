#!/usr/bin/env bash
# Takes the README's screenshots: `termcall demo` in a real xterm under Xvfb, once with truecolor half-blocks and
# once with sixel (xterm -ti vt340). Needs xvfb, xterm and imagemagick (npm test's setup installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
shot() { # name render geometry
  local name=$1 render=$2 disp=:$((90 + RANDOM % 9))
  Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & local xvfb=$!
  sleep 1
  DISPLAY=$disp xterm -ti vt340 -u8 -fa 'DejaVu Sans Mono' -fs 10 -geometry "$3+0+0" -bg black -fg white \
    -xrm 'XTerm*allowWindowOps: true' \
    -e env COLORTERM=truecolor node bin/termcall demo --render "$render" --log-file /tmp/termcall-shot.log >/dev/null 2>&1 & local xt=$!
  sleep 6
  local geom; geom=$(DISPLAY=$disp xwininfo -root -tree | awk '/xterm/ && /\+0\+0/ {print $(NF-1); exit}')
  DISPLAY=$disp import -window root -crop "${geom%%+*}+0+0" "docs/screenshot-$name.png"
  kill "$xt" "$xvfb" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "wrote docs/screenshot-$name.png"
}
shot truecolor truecolor 110x36
shot sixel sixel 110x36
