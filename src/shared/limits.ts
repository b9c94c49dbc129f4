// Every limit termcall enforces, in one place, with its unit in its name. docs/limits.md is checked against this file.

// --- capture ---
/** A URL source gives up opening after this long. */
export const URL_OPEN_TIMEOUT_MS = 2_500;
/** Before exit, the media worker's shutdown waits at most this long for reads in flight (FFmpeg's rw_timeout is 2 s). */
export const MEDIA_SHUTDOWN_TIMEOUT_MS = 2_500;
/** The largest frame a source may deliver (width and height each). */
export const MAX_FRAME_SIDE_PX = 4096;
/** Highest frame rate a source can be asked for. */
export const MAX_FPS = 60;
/** Cell size assumed when the terminal does not tell it (TIOCGWINSZ pixels, CSI 16t): width, then height. */
export const DEFAULT_CELL_WIDTH_PX = 8;
export const DEFAULT_CELL_HEIGHT_PX = 16;
/** The pane a side without a screen (headless, the demo's far side, the bench) asks its peer for. */
export const DEFAULT_PANE_WIDTH_PX = 320;
export const DEFAULT_PANE_HEIGHT_PX = 240;

// --- cli and config (src/cli) ---
/** Recent peers remembered in the config file. */
export const MAX_RECENT_PEERS = 10;

// --- wire protocol (src/protocol, src/call) ---
/** Protocol version spoken on the wire (docs/protocol.md); a peer with another one is refused. */
export const PROTOCOL_VERSION = 2;
/** Bytes of a message header: type (1) + payload length (4). */
export const MESSAGE_HEADER_BYTES = 5;
/** Largest HELLO payload (display name, renderer, pane size, features). */
export const MAX_HELLO_BYTES = 512;
/** Longest display name in UTF-8 bytes. */
export const MAX_NAME_BYTES = 64;
/** Longest renderer name in bytes (ASCII). */
export const MAX_RENDERER_BYTES = 32;
/** Largest JPEG inside one VIDEO_FRAME message. */
export const MAX_JPEG_BYTES = 2 * 1024 * 1024;
/** Largest pane/frame side a peer may announce or send, in pixels. */
export const MAX_PANE_SIDE_PX = 4096;
/** Longest chat message in UTF-8 bytes. */
export const MAX_CHAT_BYTES = 4096;
/** Longest BYE detail text in UTF-8 bytes. */
export const MAX_BYE_TEXT_BYTES = 256;
/** Both handshakes (preamble + HELLO each way) must finish within this time. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;
/** A dialer waits this long in "ringing" for the listener to accept. */
export const RING_TIMEOUT_MS = 60_000;
/** A ping is sent this often. */
export const PING_INTERVAL_MS = 1_000;
/** With nothing received for this long the link counts as dead (half-open detection; must stay under 5 s). */
export const PING_TIMEOUT_MS = 4_000;
/** Frames sent but not yet acknowledged by the receiver, at most, beyond those the round trip itself holds. */
export const MAX_FRAMES_IN_FLIGHT = 2;
/**
 * On a long path more frames are in flight without any queueing (at 30 fps a 100 ms round trip holds 3): the window
 * grows by the frames the uncongested ack delay holds, up to this many in all.
 */
export const MAX_FRAMES_IN_FLIGHT_LONG_PATH = 8;
/** No new frame is written while the socket holds more than this many unsent bytes. */
export const MAX_SOCKET_BACKLOG_BYTES = 64 * 1024;
/** While audio flows, video leaves this many bytes of the socket backlog free, so an audio packet never waits behind a full video backlog. */
export const AUDIO_BACKLOG_RESERVE_BYTES = 48 * 1024;
/** A dial gives up connecting after this long. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** JPEG quality a call starts with. */
export const DEFAULT_JPEG_QUALITY = 60;
/** Congestion never pushes JPEG quality below this. */
export const MIN_JPEG_QUALITY = 25;
/** Congestion lowers JPEG quality to this floor, then shrinks the frame (to MIN_SEND_SCALE) before going lower (docs/protocol.md). */
export const FLOOR_JPEG_QUALITY = 45;
/** Congestion shrinks frames to no less than this fraction of the peer's pane (each side), in steps of 0.25. */
export const MIN_SEND_SCALE = 0.5;
/** Congestion never shrinks the box a frame is fitted into below this many pixels on its shorter side. */
export const MIN_SEND_SIDE_PX = 96;
/** Frame rate a sender aims for when nothing is congested. */
export const DEFAULT_SEND_FPS = 30;
/** Congestion never pushes the frame rate below this. */
export const MIN_SEND_FPS = 4;
/** Congestion is judged over windows of this length. */
export const CONGESTION_WINDOW_MS = 1_000;
/** Send-to-ack delay (median over a window) above which the link counts as congested. */
export const CONGESTED_ACK_DELAY_MS = 120;
/** Send-to-ack delay below which the link counts as clear. */
export const CLEAR_ACK_DELAY_MS = 60;
/** Stats events are emitted this often. */
export const STATS_INTERVAL_MS = 1_000;

// --- audio (src/audio, docs/audio.md) ---
/** Sample rate of everything termcall captures, sends and plays (Opus's native rate). */
export const AUDIO_SAMPLE_RATE_HZ = 48_000;
/** Length of one Opus frame (one audio message). */
export const AUDIO_FRAME_MS = 20;
/** Samples in one frame (mono): AUDIO_SAMPLE_RATE_HZ * AUDIO_FRAME_MS / 1000. */
export const AUDIO_FRAME_SAMPLES = 960;
/** Opus bitrate a call sends (voice, mono). */
export const AUDIO_BITRATE_BPS = 32_000;
/** Largest Opus packet in one audio message (libopus's own maximum for one frame is 1275). */
export const MAX_OPUS_PACKET_BYTES = 1_275;
/** The jitter buffer starts at this play-out delay and never goes below it. */
export const JITTER_MIN_DELAY_MS = 40;
/** The jitter buffer never holds more play-out delay than this (packets later than that are late: concealed). */
export const JITTER_MAX_DELAY_MS = 200;
/** Packets the jitter buffer holds at most; older ones are dropped. */
export const JITTER_MAX_PACKETS = 25;
/** Lost or late frames concealed (Opus PLC) in a row before play-out goes silent and waits to resync. */
export const AUDIO_MAX_CONCEALED_FRAMES = 5;
/** Audio written to the sound device ahead of the play-out clock (the device's own buffer on top of the jitter buffer). */
export const AUDIO_DEVICE_LEAD_MS = 40;
/** Lip sync: longest a received video frame is held back to meet the audio play-out clock (ITU-R BT.1359 allows 125 ms). */
export const LIPSYNC_MAX_HOLD_MS = 300;
/** Lip sync: video frames held at most; beyond it the oldest is dropped. */
export const LIPSYNC_MAX_QUEUED_FRAMES = 16;
/** Lip sync: the audio clock counts only while a packet was heard this recently (else video is shown at once). */
export const LIPSYNC_AUDIO_FRESH_MS = 500;
/** Largest WAV file termcall reads as an audio source, in bytes. */
export const MAX_WAV_BYTES = 64 * 1024 * 1024;
/** A sound device that produced nothing for this long counts as gone: the call goes on without audio. */
export const AUDIO_DEVICE_SILENT_MS = 3_000;

// --- tutorial wires: pickle and raw (src/tutorial) ---
/** Largest BGR frame a tutorial peer may send, in bytes of pixels (one 3840x2160 frame). Sides are capped by MAX_FRAME_SIDE_PX. */
export const TUTORIAL_MAX_FRAME_BYTES = 3840 * 2160 * 3;
/** Bytes a pickle may spend around its pixels (opcodes, globals, shape, dtype); numpy's use under 300. */
export const TUTORIAL_PICKLE_OVERHEAD_BYTES = 4096;
/** Largest "Q" length prefix accepted on the pickle wire, in bytes: protocol 2 stores pixels as latin-1 text in UTF-8 (up to 2 bytes each). */
export const TUTORIAL_MAX_PICKLE_BYTES = 2 * TUTORIAL_MAX_FRAME_BYTES + TUTORIAL_PICKLE_OVERHEAD_BYTES;
/** Most opcodes one pickle may hold (numpy's array pickles use about 70); also caps memo indexes and stack depth. */
export const TUTORIAL_PICKLE_MAX_OPCODES = 512;
/** Frames a tutorial link holds behind socket backpressure before the newest replaces the waiting one. */
export const TUTORIAL_SEND_BACKLOG_FRAMES = 1;
/** How often a tutorial link reports receive-side stats, in milliseconds. */
export const TUTORIAL_STATS_INTERVAL_MS = 1_000;

// --- renderers (src/render) ---
/**
 * A shown half-block pixel is repainted once it is this far (RMS per channel, 0–255) from the picture. Symbol cells
 * likewise, by their mean over the cell beyond the best rendering's error. 12 cost 1 dB of what a viewer sees on the
 * clip (the fidelity bench) for 20 % fewer bytes than 6.
 */
export const RENDER_TOLERANCE_RMS = 6;
/**
 * While painting, a colour already set (SGR) is reused for a pixel within this distance (RMS per channel). 10 cost
 * 0.6 dB of what a viewer sees (the fidelity bench) for 9 % fewer bytes than 3.
 */
export const RENDER_REUSE_TOLERANCE_RMS = 2;
/**
 * Bytes per cell and frame that the cell renderers may spend on repaints below RENDER_TOLERANCE_RMS. In truecolor
 * each repaint is priced in bytes (error removed per byte) and may keep the SGR colours already set, so still areas
 * converge over a few frames. On the clip, sextants at 128x48: 0.5 gave 36.6 dB at 4.5 KB/frame, 1.25 gives 37.3 dB
 * at 7.5 KB, 2.5 gave 37.5 dB at 14.6 KB, 6 gave 37.7 dB at 36 KB (an exact repaint every frame: 38.3 dB at 225 KB).
 */
export const RENDER_BUDGET_BYTES_PER_CELL = 1.25;
/** In the drift-refresh band, pixels further than this (RMS per channel) from the picture are repainted exactly. */
export const RENDER_DRIFT_TOLERANCE_RMS = 4;
/** Cell rows of the rotating drift-refresh band painted (nearly) exactly in each frame. */
export const RENDER_DRIFT_ROWS_PER_FRAME = 1;
/** 256/16-colour renderers repaint a pixel once its shown colour is this much (RGB distance) worse than the best. */
export const RENDER_PALETTE_TOLERANCE = 12;
/** The terminal probe gives up waiting for replies after this long. */
export const PROBE_TIMEOUT_MS = 200;
/** The terminal probe keeps at most this many reply bytes. */
export const MAX_PROBE_REPLY_BYTES = 4096;
/** Largest sixel image side drawn (xterm's default maximum is 1000x1000). */
export const MAX_SIXEL_SIDE_PX = 1000;
/**
 * Colour registers of the sixel renderer's adaptive palette when the terminal does not say (XTSMGRAPHICS) how many
 * it has: a VT340 has 16, and 16 fitted colours are what every sixel terminal shows correctly.
 */
export const SIXEL_ADAPTIVE_REGISTERS = 16;
/** Most colour registers a terminal may report (XTSMGRAPHICS; xterm's maximum is 1024); a larger count is garbage. */
export const MAX_REPORTED_SIXEL_REGISTERS = 65_536;
/** Most colour registers the sixel renderer uses, whatever the terminal reports (register numbers fit one byte). */
export const SIXEL_MAX_REGISTERS = 256;
/**
 * Byte budget of one sixel image, per 1000 pixels (640x480: 80 KB). On a new scene the adaptive palette gets the most
 * registers whose image fits SIXEL_FIT_BUDGET_SHARE of it; within a scene the mapping tolerance follows it.
 */
export const SIXEL_MAX_BYTES_PER_KPX = 260;
/** Smallest byte budget of a sixel image (a 160x120 pane would get 5 KB, its 256 register definitions alone 3.5 KB). */
export const SIXEL_MIN_BUDGET_BYTES = 16_000;
/** Share of the sixel byte budget a new scene's first image may use (room for motion later in the scene). */
export const SIXEL_FIT_BUDGET_SHARE = 0.5;
/**
 * Sixel mapping tolerance (weighted squared distance 2·dR²+4·dG²+dB², 250 ≈ 6 levels a channel): a pixel keeps the
 * register of its upper or left neighbour within it, so sensor noise does not break the runs. On the clip at 16
 * registers: −22 % bytes at the same PSNR.
 */
export const SIXEL_STICKY_TOLERANCE = 250;
/** Smallest tolerance the sixel mapping goes down to while images stay well under the budget (≈ 3 levels a channel). */
export const SIXEL_MIN_TOLERANCE = 60;
/** A sixel image this many times over its byte budget is mapped again at once with a larger tolerance. */
export const SIXEL_RETRY_OVER_BUDGET = 1.5;
/** Largest tolerance the byte budget may push the sixel mapping to (≈ 15 levels a channel). */
export const SIXEL_MAX_TOLERANCE = 1_500;
/** The adaptive palette is refitted when a 16x16 thumbnail moves this far (mean absolute difference, 0–255). */
export const SIXEL_SCENE_CHANGE_LEVELS = 10;
/** Auto picks sixel only when --max-output-kbps (if set) allows this much: ~60 KB frames at 15 fps. */
export const SIXEL_MIN_OUTPUT_KBPS = 7_200;
/** Largest base64 payload in one kitty graphics escape (the protocol's own chunk limit). */
export const KITTY_CHUNK_BYTES = 4096;
/** Largest image side the kitty and iTerm2 renderers send, in pixels. */
export const MAX_PIXEL_IMAGE_SIDE_PX = 2048;
/** Smallest pane (cells each way) the pixel renderers draw an image into; smaller panes stay blank. */
export const MIN_PIXEL_PANE_CELLS = 2;
/** Temporary files kept in rotation for kitty t=t transfers, shared by both panes (kitty deletes each after reading): a name is reused only after four paints. */
export const KITTY_FILE_RING = 8;
/** Frames the kitty renderer times per payload kind before it keeps the cheaper one (auto payload). */
export const KITTY_PAYLOAD_TRIALS = 3;
/** Link speed the auto payload assumes when no output budget is set, in kbit/s (a local pty or a LAN SSH link). */
export const KITTY_ASSUMED_LINK_KBPS = 50_000;
/** The output budget aims at this many frames per second before it lowers the picture size. */
export const BUDGET_TARGET_FPS = 15;
/** The output budget never shrinks a pixel picture below this fraction of the pane's side. */
export const BUDGET_MIN_SCALE = 0.2;
/** The terminal counts as draining slowly when a write waits longer than this for 'drain'. */
export const SLOW_DRAIN_MS = 150;
/** `termcall render --size COLSxROWS`: largest number of columns or rows. */
export const MAX_RENDER_GRID_SIDE_CELLS = 1000;
/** `termcall render --cell WxH`: largest cell side in pixels. */
export const MAX_RENDER_CELL_SIDE_PX = 64;

// --- tui ---
/** After the link to a peer we called is lost, termcall calls back for at most this long. */
export const RECONNECT_WINDOW_MS = 15_000;
/** Pause between two call-back attempts. */
export const RECONNECT_INTERVAL_MS = 1_000;
/** A hung-up tutorial link may take this long to finish the frame it is writing before it is destroyed. */
export const TUTORIAL_HANGUP_GRACE_MS = 1_000;
/** The incoming-call prompt counts as declined after this long (well under RING_TIMEOUT_MS). */
export const TUI_PROMPT_TIMEOUT_MS = 30_000;
/** How long "call ended" / "peer hung up" stays on the call screen before the form comes back. */
export const TUI_ENDED_MESSAGE_MS = 2_500;
/** No video is written while stdout holds more than this many unwritten bytes (the terminal or SSH link is behind). */
export const TUI_MAX_OUTPUT_BACKLOG_BYTES = 0;
/** Default cap on video paints per second, all panes together (--max-fps overrides). */
export const TUI_DEFAULT_MAX_FPS = 60;
/** The local preview is pulled from the source at most this often (frames per second). */
export const TUI_PREVIEW_MAX_FPS = 15;
/** Width of the status panel when it sits beside the video, in cells. */
export const TUI_SIDE_PANEL_COLS = 30;
/** The output-rate cap may borrow this much time ahead (burst), in milliseconds of --max-output-kbps. */
export const TUI_OUTPUT_BURST_MS = 250;
/** A chat message that arrives while the chat pane is hidden is flashed over the video this long. */
export const TUI_CHAT_FLASH_MS = 5_000;
/** Chat messages kept in a call's history (older ones scroll away). */
export const MAX_CHAT_HISTORY = 500;
/** Seconds of history the status panel's sparklines show. */
export const TUI_SPARKLINE_SECONDS = 60;

// --- security ---
/** Passphrases shorter than this get a warning, in the TUI and headless alike (docs/security.md: online guessing). */
export const MIN_SECRET_CHARS = 20;
/** The TLS-PSK handshake of an encrypted call must finish within this time (the termcall HELLO then has HANDSHAKE_TIMEOUT_MS). */
export const SECURE_HANDSHAKE_TIMEOUT_MS = 5_000;
/** The passphrase key exchange (CPace, three messages) must finish within this time, on either side. */
export const PAKE_TIMEOUT_MS = 5_000;
/** A key-exchange message is at most this long (the real ones are under 200 bytes); the length is checked before reading it. */
export const PAKE_MAX_MESSAGE_BYTES = 512;
/** A WebRTC side whose key exchange failed waits this long before the link closes, so the message saying why reaches
 *  the peer (closed at once, the peer saw only the close: ERR_PEER_CLOSED instead of ERR_AUTH_FAILED). */
export const PAKE_FAIL_GRACE_MS = 300;
/** A listener waits this long for a caller's first bytes (the magic that tells an encrypted caller from a plain one). */
export const FIRST_BYTE_TIMEOUT_MS = 5_000;
/** Incoming connections not yet through their handshake, at most; when full, the oldest one is dropped for the new one. */
export const MAX_PENDING_CONNECTIONS = 8;
/** Failed attempts an address gets before its next attempts are slowed down. */
export const FREE_FAILED_ATTEMPTS = 3;
/** First slowdown delay once an address is past FREE_FAILED_ATTEMPTS; it doubles with each further failure. */
export const FAILED_ATTEMPT_BASE_DELAY_MS = 500;
/** The slowdown delay never grows past this. */
export const FAILED_ATTEMPT_MAX_DELAY_MS = 30_000;
/** An address's failed attempts are forgotten this long after its last one. */
export const FAILED_ATTEMPT_MEMORY_MS = 15 * 60_000;
/** Addresses whose failed attempts are remembered, at most (least recently failing forgotten first). */
export const MAX_TRACKED_ADDRESSES = 1024;

// --- webrtc (src/transport/webrtc, src/protocol/datagram.ts) ---
/** Bytes of a datagram fragment header: message id (4) + fragment index (2) + fragment count (2). */
export const FRAGMENT_HEADER_BYTES = 8;
/** Largest datagram the lossy lane sends (fragment header included): under SCTP's common 64 KiB message limit. */
export const MAX_DATAGRAM_BYTES = 16 * 1024;
/**
 * The lossy lane's fragment size (header included): one fragment fits one UDP packet (on the data channel:
 * libdatachannel's DTLS MTU is 1232 bytes, less SCTP's headers; on the RTP track: 12 bytes of RTP header and SRTP's
 * 10-byte tag), so one lost packet loses one fragment, which parity can rebuild. With 16 KiB fragments SCTP split
 * each one into ~14 packets and one lost packet lost the whole fragment.
 */
export const LOSSY_DATAGRAM_BYTES = 1_100;
/** Data fragments covered by one XOR parity fragment on the lossy lane: any one lost fragment of a group is rebuilt. */
export const PARITY_GROUP_FRAGMENTS = 8;
/** Bytes before a parity fragment's XOR: the whole message's length (4) and the group size (2). */
export const PARITY_HEADER_BYTES = 6;
/** Messages being reassembled at once, at most; a newer one pushes the oldest incomplete one out (dropped). */
export const MAX_PARTIAL_MESSAGES = 4;
/** An incomplete message older than this is dropped (its missing fragments were lost). */
export const PARTIAL_MESSAGE_TIMEOUT_MS = 1_000;
/** On a lossy lane, a frame sent this long ago with no ack counts as lost and frees its window slot. */
export const LOSSY_ACK_TIMEOUT_MS = 600;
/** A signalling blob (offer or answer) longer than this is refused before it is parsed. */
export const MAX_SIGNAL_BLOB_BYTES = 2048;
/** Candidates one blob may carry, at most. */
export const MAX_SIGNAL_CANDIDATES = 16;
/** Gathering ICE candidates (host, STUN, TURN) stops after this long; the blob carries what was found. */
export const ICE_GATHER_TIMEOUT_MS = 5_000;
/**
 * The answerer holds the offerer's host candidates back this long (unless connected by then): checks sent to them
 * before the offerer has the answer let libdatachannel start DTLS before it stored the answer's fingerprint, and the
 * handshake fails ("certificate verify failed", docs/webrtc.md). Direct host paths form from the offerer's own checks.
 * Long enough for a pasted answer code; shorter than libjuice's 39.5 s "patiently awaiting connectivity" timer, so
 * an answerer that the offerer's checks never reach still tries the host paths itself before its ICE gives up.
 */
export const WEBRTC_HOST_CANDIDATE_HOLD_MS = 30_000;
/** From the remote blob to the open data channels, at most (ICE checks, DTLS, SCTP). */
export const WEBRTC_CONNECT_TIMEOUT_MS = 15_000;
/**
 * An answerer (answer CODE) waits this long for the caller to paste the answer code and connect (not the usual
 * WEBRTC_CONNECT_TIMEOUT_MS, which cut late answers off). Measured on loopback with the 30 s host-candidate hold:
 * answers taken 5 to 60 s after they were made connected at once; one at 130 s failed at 61 s, when the
 * answerer's own checks (after the hold) had connected ICE and its unanswered DTLS hello gave up (resent 1, 3, 7,
 * 15, 31 s later).
 */
export const WEBRTC_ANSWER_WAIT_MS = 65_000;
/** What the person carrying the answer code is told: send it back within this (margin under WEBRTC_ANSWER_WAIT_MS). */
export const CODE_ANSWER_ADVICE_S = 45;
/** A data channel's unsent bytes above which the reliable stream stops taking writes until it drains. */
export const DATA_CHANNEL_HIGH_WATER_BYTES = 256 * 1024;
// --- signalling (call codes, SSH) ---
/** A call code is valid this long after it is made (the answer code too). */
export const CALL_CODE_TTL_S = 600;
/** A code made up to this far in the future (the other machine's clock is ahead) is still taken. */
export const CALL_CODE_CLOCK_SKEW_S = 120;
/** A call code's text is refused past this length, before it is decoded (its blob: at most MAX_SIGNAL_BLOB_BYTES, checked while unpacking). */
export const MAX_CALL_CODE_CHARS = 4096;
/** Answered offer codes remembered (so a replayed one is refused), at most; expired ones are forgotten first. */
export const MAX_REMEMBERED_CODES = 512;
/** A line of the SSH signalling protocol is at most this long; a longer one ends the exchange (bounded memory). */
export const MAX_SIGNAL_LINE_BYTES = 8192;
/** Offers one SSH signalling session answers, at most (then it says so and ends). */
export const MAX_SIGNAL_OFFERS = 4;
/** The SSH signalling exchange (ssh start, offer, answer) must finish within this time. */
export const SIGNAL_TIMEOUT_MS = 30_000;
