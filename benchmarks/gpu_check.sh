#!/usr/bin/env bash
# StyleGene GPU check: run from the repository root on a CUDA machine.
#
#   bash benchmarks/gpu_check.sh [--wheels DIR] [--checkpoints DIR]
#
# 1. A fresh virtualenv ($GPU_VENV, default .venv-gpu) with the CUDA build of torch==2.13.0: from
#    $TORCH_INDEX_URL (default the cu126 index of download.pytorch.org), or with --wheels from a
#    folder of wheels carried to a machine without internet (then every requirement comes from
#    there). A torch already in the venv that sees CUDA is kept.
# 2. The CUDA-marked tests (tests/genetics/stylegene, -m gpu): CUDA fp32 against the official
#    reference vectors at their tolerances (1e-3 images, 1e-4 mappers, TF32 off), the fp16 and
#    bf16 generator against fp32 (fp16: max 0.05 / mean 0.002; bf16: max 0.15 / mean 0.01).
#    STYLEGENE_REFERENCE / STYLEGENE_FILL point at reference.npz / fill.py when ../shared is absent.
# 3. benchmarks/stylegene_gpu_bench.py: candidates/s for 1 and 8 children at 1024² and 8 previews
#    at 256², fp32 vs fp16, peak GPU memory and the share of the device's peak FLOP/s.
# Everything is printed; paste the figures into genetics/stylegene/README.md ("GPU").
set -euo pipefail

VENV="${GPU_VENV:-.venv-gpu}"
WHEELS=""
CHECKPOINTS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --wheels) WHEELS="$2"; shift 2 ;;
    --checkpoints) CHECKPOINTS="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --quiet)
if [ -n "$WHEELS" ]; then PIP+=(--no-index --find-links "$WHEELS"); fi

if ! "$PY" -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  if [ -n "$WHEELS" ]; then
    "${PIP[@]}" torch==2.13.0
  else
    "${PIP[@]}" --index-url "${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cu126}" torch==2.13.0
  fi
fi
# torch==2.13.0 is already satisfied by the CUDA build, so the CPU wheel is not fetched again.
"${PIP[@]}" -r requirements/dev.txt
"$PY" -c "import torch; assert torch.cuda.is_available(), 'torch does not see CUDA'; \
print('torch', torch.__version__, 'CUDA', torch.version.cuda, torch.cuda.get_device_name())"

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-4}"
"$PY" -m pytest tests/genetics/stylegene -m gpu -q -rA -p no:cacheprovider
"$PY" benchmarks/stylegene_gpu_bench.py ${CHECKPOINTS:+--checkpoints "$CHECKPOINTS"}
