#!/usr/bin/env bash
# Regenerates the audio prompts under resources/prompts/ (see resources/prompts/README.md).
#
# Every prompt is made by the project, from text (espeak-ng) or from a synthesized signal (sox),
# so no third-party recording is shipped. Output: 8000 Hz, mono, 16-bit signed PCM WAV (the rate
# of G.711, RFC 3551 §4.5.14), peak-normalised to -3 dBFS.
#
# Needs: espeak-ng and sox (Debian packages espeak-ng, sox). Only needed to regenerate the prompts;
# the app and the tests read the committed WAV files.
#
# Usage: scripts/make-prompts.sh [output-dir]   (default: resources/prompts)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-resources/prompts}"
mkdir -p "$out"

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null 2>&1 || { echo "make-prompts: '$tool' is not installed (apt-get install $tool)" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# sox options shared by every prompt:
#   -R  repeatable (fixed seeds, no time stamps): the same input gives the same bytes
#   -D  no dither (dither is noise; the prompts stay exactly reproducible)
#   -V1 only errors
SOX=(sox -R -D -V1)
# Output format: 8 kHz, mono, 16-bit signed little-endian PCM WAV.
FMT=(-r 8000 -c 1 -b 16 -e signed-integer)

# speak NAME "TEXT": espeak-ng (American English voice, 150 words per minute) to a 22050 Hz WAV,
# then sox: trim the leading silence espeak-ng adds, resample to 8 kHz (sox's high-quality `rate`),
# and normalise the peak to -3 dBFS.
speak() {
  local name="$1" text="$2"
  espeak-ng -v en-us -s 150 -w "$tmp/$name.raw.wav" "$text"
  "${SOX[@]}" "$tmp/$name.raw.wav" "${FMT[@]}" "$out/$name.wav" silence 1 0.01 0.1% rate -h 8000 norm -3
  echo "wrote $out/$name.wav"
}

# The reference bot's greeting, played right after it answers (time to greeting).
speak greeting "Hello, this is the CXone SIP Lab reference bot. How can I help you?"

# What the emulated CXone caller says.
speak caller "Hi, I am calling about my order. Can you check its status, please?"

# A short 1 kHz beep (250 ms, with 10 ms fades): an audible marker for manual checks and
# a narrow-band signal that is easy to find in a recording.
"${SOX[@]}" -n "${FMT[@]}" "$out/beep.wav" synth 0.25 sine 1000 fade 0.01 0.25 0.01 norm -3
echo "wrote $out/beep.wav"
