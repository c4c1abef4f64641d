#!/usr/bin/env bash
# Trains and evaluates every model family that is not a shipped genre model (Magenta's Basic,
# Lookback and Attention RNN, the bidirectional LSTM, Performance RNN), each for the same time
# budget, and prints one line per family: its per-event NLL beside its Markov baseline's on the
# held-out pieces. The results are recorded in docs/MODEL_FAMILIES.md.
# Usage: scripts/train-families.sh [DATASETS] [KIND...]   (FAMILY_MINUTES, default 12; OUT)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/datasets}"
shift || true
KINDS=("${@:-basic lookback attention bidirectional performance}")
OUT="${OUT:-${TMPDIR:-/tmp}/mixtape-families}"
MINUTES="${FAMILY_MINUTES:-12}"
MIXTAPE="node_modules/.bin/node bin/mixtape.js"
FAST=(--epochs 80 --patience 4 --augment 0 --batch 32 --lr 0.003 --max-windows 3000 --max-minutes "$MINUTES")
mkdir -p "$OUT"

family() { # kind, genre, data folder, extra train options
  local kind=$1 genre=$2 data=$3
  shift 3
  echo "== $kind on $data ($MINUTES min)"
  $MIXTAPE train --model "$kind" --genre "$genre" --data "$data" --out "$OUT/$kind" "${FAST[@]}" "$@"
  # The held-out pieces are those of the same folder that the model did not train on.
  $MIXTAPE evaluate --model "$OUT/$kind" --data "$data" --generate 10 --json > "$OUT/$kind.json"
  node_modules/.bin/node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const m = r.events.model, k = r.events.markov;
    console.log(`${r.kind}: ${r.pieces.used} held-out pieces, ${m.events} events; NLL ${m.nll.toFixed(3)} vs Markov ${k.nll.toFixed(3)} (order ${k.order}): ${(100 * r.events.nllImprovement).toFixed(1)} % lower; accuracy ${(100 * m.accuracy).toFixed(1)} vs ${(100 * k.accuracy).toFixed(1)} %`);
  ' "$OUT/$kind.json"
}

for k in ${KINDS[@]}; do
  case "$k" in
    basic | lookback | attention) family "$k" celtic "$DATA/celtic/ceol_rince_na_heireann" ;;
    # One target per window (the event after it), so it needs many more windows per epoch.
    bidirectional) family "$k" celtic "$DATA/celtic/ceol_rince_na_heireann" --max-windows 40000 ;;
    # 2x128 rather than the kind's 2x256: on one core the bigger net was still near chance after 12 min.
    performance) family performance classical "$DATA/classical/piano-midi.de" --hidden 128,128 ;;
    *) echo "unknown family $k" >&2; exit 2 ;;
  esac
done
