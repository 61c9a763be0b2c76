"""Time of one ORG model's BiLSTM encoder on ONE CPU thread, per backend: how the prediction
path was chosen (docs/ner.md, "Prediction speed").

    python benchmarks/lstm_backends.py [--model DIR] [--rows 32] [--width 136]

Backends, each on the same padded batch (``rows`` sentences of ``width`` characters), timed in
turns so that a busy machine slows them alike, best of ``--repeat`` rounds:
- ``bf16`` / ``fp32``: ``PaddedBiLSTM``, the shipped path (oneDNN's fused LSTM kernel);
- ``int8``: ``torch.ao.quantization.quantize_dynamic`` of its LSTMs (int8 weights, fbgemm);
- ``fused``: both directions of a layer as one LSTM with block-diagonal weights (half the
  calls, twice the arithmetic);
- ``onnxruntime``: the fp32 encoder exported to ONNX, run by ONNX Runtime, when both the
  ``onnx`` and ``onnxruntime`` packages are installed.
Prints microseconds per character and the largest difference from the fp32 output.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Callable

os.environ.setdefault("HANLP_VERBOSE", "0")
import torch  # noqa: E402

torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.models.org.network import PaddedBiLSTM  # noqa: E402
from pipeline.models.org.tagger import OrgModel  # noqa: E402


def fused_directions(encoder: PaddedBiLSTM) -> list[torch.nn.LSTM]:
    """Each layer's two direction LSTMs as one, the weights block-diagonal, in the encoder's
    dtype: input [x, x reversed], hidden [forward, backward]."""
    fused = []
    for forward, backward in encoder.layers:
        hidden, n_in = forward.hidden_size, forward.input_size
        one = torch.nn.LSTM(2 * n_in, 2 * hidden, batch_first=True)
        with torch.no_grad():
            for parameter in one.parameters():
                parameter.zero_()
            for d, source in enumerate((forward, backward)):
                for gate in range(4):  # torch's gate blocks: input, forget, cell, output
                    rows, own = slice((2 * gate + d) * hidden, (2 * gate + d + 1) * hidden), slice(
                        gate * hidden, (gate + 1) * hidden)
                    one.weight_ih_l0[rows, d * n_in:(d + 1) * n_in] = source.weight_ih_l0[own].float()
                    one.weight_hh_l0[rows, d * hidden:(d + 1) * hidden] = source.weight_hh_l0[own].float()
                    one.bias_ih_l0[rows] = source.bias_ih_l0[own].float()
                    one.bias_hh_l0[rows] = source.bias_hh_l0[own].float()
        fused.append(one.to(encoder.dtype).eval())
    return fused


def run_fused(layers: list[torch.nn.LSTM], x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    rows, steps = x.shape[:2]
    step = torch.arange(steps).unsqueeze(0)
    last = lengths.unsqueeze(1) - 1
    reverse = (torch.where(step <= last, last - step, step) + steps * torch.arange(rows).unsqueeze(1)).reshape(-1)

    def reversed_rows(t: torch.Tensor) -> torch.Tensor:
        return t.reshape(rows * steps, -1).index_select(0, reverse).reshape(rows, steps, -1)

    x = x.to(layers[0].weight_hh_l0.dtype)
    for one in layers:
        hidden = one.hidden_size // 2
        out, _ = one(torch.cat([x, reversed_rows(x)], -1))
        x = torch.cat([out[..., :hidden], reversed_rows(out[..., hidden:])], -1)
    return x.float()


def onnxruntime_encoder(encoder: PaddedBiLSTM, x: torch.Tensor, lengths: torch.Tensor) -> Callable | None:
    try:
        import onnx  # noqa: F401  (torch's exporter needs it)
        import onnxruntime
    except ImportError:
        return None
    path = Path(tempfile.mkdtemp()) / "encoder.onnx"
    torch.onnx.export(encoder, (x, lengths), str(path), dynamo=False, input_names=["x", "lengths"],
                      dynamic_axes={"x": {0: "rows", 1: "steps"}, "lengths": {0: "rows"}})
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    feed = {"x": x.numpy(), "lengths": lengths.numpy()}
    return lambda: torch.from_numpy(session.run(None, feed)[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(ROOT / "models" / "org_ner_style_2x64"))
    ap.add_argument("--rows", type=int, default=32)
    ap.add_argument("--width", type=int, default=136)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    lstm = OrgModel._load_component(args.model).model.word_lstm
    x = torch.randn(args.rows, args.width, lstm.input_size)
    lengths = torch.full((args.rows,), args.width)
    lengths[args.rows // 2:] -= args.width // 10  # some rows shorter, as in a real batch
    fp32, bf16 = PaddedBiLSTM(lstm, torch.float32), PaddedBiLSTM(lstm, torch.bfloat16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's deprecation notices
        int8 = torch.ao.quantization.quantize_dynamic(PaddedBiLSTM(lstm), {torch.nn.LSTM}, dtype=torch.qint8)
    fused = fused_directions(bf16)
    backends: dict[str, Callable] = {"bf16": lambda: bf16(x, lengths), "fp32": lambda: fp32(x, lengths),
                                     "int8": lambda: int8(x, lengths), "fused bf16": lambda: run_fused(fused, x, lengths)}
    ort = onnxruntime_encoder(fp32, x, lengths)
    if ort is not None:
        backends["onnxruntime fp32"] = ort
    else:
        print("onnxruntime: skipped (needs the onnx and onnxruntime packages)")
    best = dict.fromkeys(backends, float("inf"))
    with torch.inference_mode():
        reference = fp32(x, lengths)
        error = {name: (run() - reference).abs().max().item() for name, run in backends.items()}
        for _ in range(args.repeat):
            for name, run in backends.items():
                start = time.perf_counter()
                for _ in range(5):
                    run()
                best[name] = min(best[name], (time.perf_counter() - start) / 5)
    chars = int(lengths.sum())
    print(f"{Path(args.model).name}: {args.rows} rows x {args.width} steps, 1 thread")
    for name in backends:
        print(f"{name:18} {best[name] * 1e6 / chars:6.2f} µs/char   max |difference from fp32| {error[name]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
