"""The words of a card table's headers and labels that say what a column or row is not: a
result's setting or note (shots, evaluation protocol, "lower is better", a standard deviation),
a summary row, a training set-up, the toolkit a score came from, a property of the model or run.

The lowest layer of the card-table modules beside :mod:`.cardcells`: :mod:`.cardlayouts` and
:mod:`.cardtables` both read their headers with these.

Example:
    >>> bool(_NOT_A_RESULT_COLUMN.search("Params (B)")), bool(_SUMMARY_ROW.search("Average"))
    (True, True)
    >>> _SHOTS.sub("", "MMLU (5-shot)")
    'MMLU'
"""

from __future__ import annotations

import re

_ROWS_ARE_METRICS = re.compile(r"^metrics?$", re.I)
# "5-shot", "(5 shot MC)": a setting, not the data
_SHOTS = re.compile(r"\s*\(\d+[\s-]?shots?\b[^()]*\)|\s*\(?\b\d+-shots?\b\)?", re.I)
# "GSM8k (mixed eval.)", "BBH (CoT)", "GSM8K CoT": a note on how a benchmark was run (its
# prompting or evaluation protocol), not the data; "CoT" (chain-of-thought) also as misprinted
# "CoTT". Only a note naming evaluation or prompting: "Arc (Challenge)" keeps its subset.
_EVAL_NOTE = re.compile(r"\s*\((?!\s*eval\s*\))(?=[^()]*\b(?:eval(?:uation|uated)?|"
                        r"prompt(?:s|ed|ing)?|cot|chain[\s-]of[\s-]thought|greedy|maj@\d+)\b)[^()]*\)"
                        r"|\s+(?:w/\s*)?(?-i:CoT[a-zA-Z]?)$", re.I)
_NOT_RESULTS_HEADER = re.compile(r"\b(epoch|step|training loss|learning rate|hyper-?param)", re.I)
_SUMMARY_ROW = re.compile(r"^\W*(avg|average|mean|gmean|overall|total)\b|\b(avg|average)\W*$",
                          re.I)
# Row labels of a training set-up, not results ("peak LR", "warmup steps", "weight decay").
_HYPERPARAMETER = re.compile(r"\b(lr|learning rate|warm-?up|weight decay|batch size|optimi[sz]er"
                             r"|epsilon|beta[12]?|gradient clipping|dropout)\b", re.I)
# "RealToxicity (lower is better)": how to read the numbers, not the data
_BETTER_NOTE = re.compile(r"\s*\(\s*(?:lower|higher)\s+is\s+better\s*\)", re.I)
# "acc. (std*)": the cells print a standard deviation in parentheses after each value.
_STD_NOTE = re.compile(r"\s*\(\s*(?:\u00b1\s*)?(?:std|sd|stdev)\.?\s*\**\s*\)", re.I)
# A column named by the software a score was computed in names no data (FSMT ports print the
# original fairseq score beside the transformers one: | model | fairseq | transformers |).
_TOOLKIT_COLUMN = re.compile(r"\s*(?:fairseq|s3prl|transformers|pytorch|tensorflow|jax|flax|onnx"
                             r"(?:\s*runtime)?|tflite|openvino)\s*", re.I)
# Columns about the model or the run, not a result on the row's dataset.
_NOT_A_RESULT_COLUMN = re.compile(
    r"param|size|layers?\b|heads?\b|hidden|vocab|context|\bbits?\b|\bram\b|memory|"
    r"tokens?\s*/\s*s|/\s*sec|\bsec\b|seconds|\btime\b|speed|latency|throughput|version|"
    r"stderr|std\b|±|length|\blen\b|date|^#|^n$|\bcount\b|samples?\b|examples|flops|macs|"
    r"^m?acts$|activations|"  # timm's "macts": activations (millions), a cost as "gmacs" is
    r"^\W*(avg|average|mean|gmean|overall|total)\b|geometric mean|\btokens?\b|"
    r"quant|license|link|url|download|^shots?$|"
    r"sample\s*rate|dimension|\bdims?\b|\bkhz\b|vram|\bgpus?\b|\bgb\b|"
    r"carbon|\bco[2\u2082]|emissions?\b|\bpower\b|energy|\bkwh\b|"
    r"^\d+(\.\d+)?\s*[kKmM]$", re.I)
_VALUE_WORDS = r"(?:values?|scores?|results?)"
# "| Model | Score |": a column headed by a word for values, naming no data
_VALUE_WORD = re.compile(rf"^{_VALUE_WORDS}$", re.I)
# "| Metric | # Value |", "| Metric | # score |": the value column of a table of metric rows
_VALUE_COUNT_HEADER = re.compile(rf"^#?\s*{_VALUE_WORDS}$", re.I)
