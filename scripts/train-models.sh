#!/usr/bin/env bash
# Trains every shipped genre model into models/<genre>/ from the datasets folder given as $1
# (default: ../shared/datasets beside the repository). Datasets are read in place, never copied.
# Each run writes model.json + weights.bin (float16), the Markov baseline, the hashes of the
# training pieces and MODEL_CARD.md. Usage: scripts/train-models.sh [DATASETS] [GENRE...]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/datasets}"
shift || true
GENRES=("${@:-celtic jazz classical game pop dance}")
MIXTAPE="node_modules/.bin/node bin/mixtape.js"
MINUTES="${TRAIN_MINUTES:-30}"

train() { # genre, then `mixtape train` options
  local genre=$1; shift
  # BASE_<GENRE>=folder continues from an earlier model (how the shipped weights were trained in stages).
  local base_var="BASE_${genre^^}"
  echo "== $genre"
  $MIXTAPE train --genre "$genre" --out "models/$genre" --max-minutes "$MINUTES" ${!base_var:+--base "${!base_var}"} "$@"
}

for g in ${GENRES[@]}; do
  case "$g" in
    celtic) train celtic --data "$DATA/celtic/ceol_rince_na_heireann" --data "$DATA/celtic/nottingham/MIDI/melody" --epochs 14 --patience 2 --augment 0 ;;
    jazz) train jazz --data "$DATA/jazz/wjazzd_solos" --epochs 60 --patience 4 --augment 0 --batch 32 --lr 0.003 --max-windows 3000 ;;
    classical) train classical --data "$DATA/classical/piano-midi.de" --epochs 60 --patience 4 --augment 0 --batch 32 --lr 0.003 --max-windows 3000 ;;
    game) train game --data "$DATA/game/ff_piano_skuldur" --data "$DATA/game/vgmidi" --epochs 60 --patience 4 --augment 0 --batch 32 --lr 0.003 --max-windows 3000 ;;
    pop) train pop --data "$DATA/pop/pop909" --epochs 60 --patience 4 --augment 0 --batch 32 --lr 0.003 --max-windows 3000 ;;
    dance) train dance --data "$DATA/dance/groove_midi_dataset" --epochs 60 --patience 4 --augment 0 --batch 32 --lr 0.003 --max-windows 3000 ;;
    *) echo "unknown genre $g" >&2; exit 2 ;;
  esac
done
