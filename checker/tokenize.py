"""jieba tokenisation with our domain dictionary (rules/dict/*.txt), initialised once per process.

Tokens are used to check word boundaries where a rule asks for them (`match.words: true`): 本地 must not match
inside 本地区. Tokenising costs ~5,700 clauses/s (stack-notes §4), so only sentences that already hit a rule are
tokenised, never whole documents.
"""
from __future__ import annotations

import logging
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

DICT_DIR = Path(__file__).resolve().parents[1] / "rules" / "dict"


@lru_cache(maxsize=1)
def _tokenizer():
    with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources and says so on every run
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(logging.WARNING)
    # With no writable temp dir jieba.lcut raises FileNotFoundError (stack-notes §4): name one explicitly.
    jieba.dt.tmp_dir = tempfile.gettempdir()
    for path in sorted(DICT_DIR.glob("*.txt")):
        jieba.load_userdict(str(path))
    return jieba.dt


def tokens(text: str) -> list[str]:
    return _tokenizer().lcut(text, HMM=False)


@lru_cache(maxsize=4096)
def boundaries(text: str) -> frozenset[int]:
    """Character offsets where a token starts or ends."""
    out = {0}
    pos = 0
    for tok in tokens(text):
        pos += len(tok)
        out.add(pos)
    return frozenset(out)
