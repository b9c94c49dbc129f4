# The shared set-up of scripts/shoot-*.sh, sourced from the repo root (POSIX sh): a scratch folder $TMP and an Xvfb
# as $DISPLAY (exported), both gone on exit; xterms in the shots' look; a screenshot of one process's window.
TMP=$(mktemp -d)
DISPLAY_NO=":2$(( $$ % 80 + 10 ))"
Xvfb "$DISPLAY_NO" -screen 0 1920x1200x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 1
export DISPLAY=$DISPLAY_NO

# shoot_xterm NAME GEOMETRY COMMAND...: COMMAND in an xterm titled NAME, in the background ($! is its pid): the shots'
# font and colours (CJK needs a font with wide glyphs: apt-get install fonts-wqy-microhei), a config folder shared by
# all, a state folder of its own ($TMP/state-NAME).
shoot_xterm() {
  name=$1; geo=$2; shift 2
  xterm -geometry "$geo" -fa 'DejaVu Sans Mono' -fd 'WenQuanYi Micro Hei Mono' -fs 10 -bg black -fg grey90 -title "$name" \
    -e env XDG_CONFIG_HOME="$TMP/cfg" XDG_STATE_HOME="$TMP/state-$name" "$@" &
}

# shoot_window PID: the X window of process PID.
shoot_window() {
  xdotool search --pid "$1" | head -1
}

# shoot_focus PID: the keys xdotool types next go to PID's window. xterm ignores synthetic (XSendEvent) keys, so
# point at the window (no window manager: focus follows the pointer) and type through XTEST (no --window).
shoot_focus() {
  xdotool mousemove --window "$(shoot_window "$1")" 20 20
}

# shoot_png PID FILE [CONVERT-OPTION...]: a screenshot of PID's window into FILE, the options (e.g. -resize 60%) applied
# first, then 256 colours (they keep the PNG small; the terminal's own palette is far below that outside the video).
shoot_png() {
  pid=$1; out=$2; shift 2
  import -window "$(shoot_window "$pid")" "$TMP/shot.png"
  convert "$TMP/shot.png" "$@" -colors 256 -strip "$out"
  echo "$out: $(wc -c < "$out") bytes"
}
