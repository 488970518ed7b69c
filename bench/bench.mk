# make bench: each command prints its figures; they are copied into docs/benchmarks.md.
BENCHES += bench/boot-time.sh
BENCHES += bench/guest-trace.sh
BENCHES += bench/trace-download.sh
BENCHES += bench/capture-time.sh
BENCHES += bench/webg-rps.sh
BENCHES += bench/raw-download.sh
