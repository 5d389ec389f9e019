"""Traditional and simplified characters: one conversion for the whole platform."""

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc  # the ``opencc`` package (C++ OpenCC with Python bindings)

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC t2s); the same text if it already is."""
    return _converter().convert(text) if text else text
