"""The one text pipeline of search: the same tokens for every backend and for queries.

条例第二十四条 requires a platform on which government information can be
searched; the 工作要点 ask for 强化搜索查询功能.  Chinese has no spaces, so the
index and the query side must cut text into words the same way, or a query
finds nothing.  Every backend stores the tokens made here (joined by spaces
into a whitespace-separated field) and never analyses Chinese itself.

The pipeline, in order:

1. OpenCC ``t2s``: traditional characters become simplified *before*
   segmenting (山東省…辦公廳 segments wrongly otherwise), so a query in either
   script finds a document in either script.
2. NFKC: full-width letters, digits and brackets become half-width.
3. Lower case.
4. rjieba (the Rust port of jieba, without its HMM so that unknown words
   fall apart into characters the same way on both sides), with the
   government terms of ``data/dictionary.txt`` added.

Query tokens are jieba's precise mode.  Index tokens are its full mode
(every dictionary word at every position) and every single character.
Search mode alone misses a dictionary word inside a longer one (便民服务 in
12345便民服务热线, 人民政府 in 山西省人民政府) or across two words, and a
query word that is not in the dictionary falls apart into single characters,
which must then be in the index too.  Without the HMM, every precise-mode
token is a dictionary word, a single character or a run of letters and
digits, all of which full mode emits, and full mode contains every
search-mode token.  So every token of a query whose text occurs in a
document is among that document's tokens (recall 1.0).

A 文号 is also indexed as one token, in a form without brackets built from
its normalised form (:func:`zwgk.records.docnum.normalize_docnum`), so that
``鲁政办发〔2017〕39号``, ``鲁政办发[2017]39号`` and ``鲁政办发(2017)39号`` all
find the document.

:data:`ANALYZER_VERSION` changes whenever the pipeline or the dictionary
changes; an index built by another version is rebuilt.
"""

import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from zwgk.records.docnum import DocNumber, find_docnums, parse_docnum
from zwgk.utils.script import to_simplified

PIPELINE_VERSION = 3  # bump when the code below changes what it emits

_WORD = re.compile(r"\w")
# Characters jieba treats as Chinese, each added to its dictionary so that full
# mode emits every one of them; the supplementary planes it does not treat as
# Chinese, and full mode drops them, so they are added to the tokens apart.
_BMP_HAN = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)]
_SUPPLEMENTARY_HAN = re.compile(r"[\U00020000-\U0003134f]")
# A token of nothing but punctuation (，、《》…), removed from the joined tokens.
_PUNCTUATION_TOKEN = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")


def _dictionary_text() -> str:
    return resources.files("zwgk.search").joinpath("data/dictionary.txt").read_text("utf-8")


def _dictionary_entries(text: str) -> list[tuple[str, int | None]]:
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, frequency = line.partition(" ")
        entries.append((normalize(word), int(frequency) if frequency.strip() else None))
    return entries


ANALYZER_VERSION = (
    f"{PIPELINE_VERSION}-{hashlib.sha256(_dictionary_text().encode()).hexdigest()[:12]}"
)


@lru_cache(maxsize=1)
def _jieba():
    import rjieba

    jieba = rjieba.Jieba()
    for word, frequency in _dictionary_entries(_dictionary_text()):
        jieba.add_word(word, frequency or jieba.suggest_freq(word), None)
    for start, stop in _BMP_HAN:
        for character in map(chr, range(start, stop)):
            if not jieba.has_word(character):
                jieba.add_word(character, 1, None)
    return jieba


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """NFKC and lower case, character by character, as a ``str.translate`` table.

    Full-width letters, digits and punctuation, circled numbers, compatibility
    ideographs: every character of the Basic Multilingual Plane whose NFKC form,
    lower-cased, differs.  Character by character (unlike NFKC of a whole
    string), so that a match in the folded text maps back onto the original
    one character for one (the snippets); and 2-3 times faster.
    """
    table = {}
    for codepoint in range(0x10000):
        character = chr(codepoint)
        folded = unicodedata.normalize("NFKC", character).lower()
        if folded != character:
            table[codepoint] = folded
    return table


def normalize(text: str) -> str:
    """``text`` in simplified characters, half-width, lower case."""
    return to_simplified(text or "").translate(fold_table())


def _words(tokens) -> list[str]:
    return [t for t in tokens if t[0].isalnum() or t[-1].isalnum()]


def index_text(text: str) -> str:
    """The tokens a document's ``text`` is indexed under, space-separated, with repeats.

    Line by line: jieba slows down on very long strings (a whole law), and a
    text's tokens are its lines' tokens one after the other (benchmarks rely
    on it: a 文号 never spans two lines).  Built as one string and cleaned of
    punctuation with one regular expression: a token at a time in Python
    would cost as much as the segmentation.
    """
    jieba = _jieba()
    parts: list[str] = []
    for line in normalize(text).splitlines():
        parts.append(" ".join(jieba.cut_all(line)))
        parts.extend(_SUPPLEMENTARY_HAN.findall(line))
        if "号" in line:
            parts.extend(docnum_tokens(line))
    return _PUNCTUATION_TOKEN.sub("", " ".join(parts))


def index_tokens(text: str) -> list[str]:
    """:func:`index_text` as a list."""
    return index_text(text).split()


def query_tokens(text: str) -> list[str]:
    """The tokens of a query, each of which a matching document must contain.

    A part of the query (between spaces) that is a 文号 becomes its one
    token, so that ``鲁政办发〔2017〕39号`` means that 文号, not its
    characters anywhere.
    """
    tokens: list[str] = []
    for part in normalize(text).split():
        parsed = parse_docnum(part)
        if parsed is not None:
            tokens.append(docnum_token(parsed))
        else:
            tokens.extend(_words(_jieba().cut(part, False)))
    return list(dict.fromkeys(tokens))


# The token of a whole title: Latin letters then Han characters, which
# segmentation never emits (it splits a Latin run from a Han one).
WHOLE_TITLE_PREFIX = "zt"
# National laws are named with and without it: 中华人民共和国行政复议法.
_COUNTRY = "中华人民共和国"


def title_token(text: str) -> str:
    """The one token of a whole title, or of a query that may be one ("" if nothing is left).

    The title folded as the analyzer folds it, without spaces, punctuation
    and a leading 中华人民共和国: a query that is a document's name (行政复议法,
    國務院關於…的通知) finds the document whose title it is, ranked first
    among the matches (the backends score this token as a title word).
    """
    core = "".join(_WORD.findall(normalize(text))).removeprefix(_COUNTRY)
    return WHOLE_TITLE_PREFIX + core if core else ""


def docnum_token(docnum: DocNumber) -> str:
    """The one token of a 文号: its normalised form without brackets or spaces."""
    return "".join(_WORD.findall(docnum.normalized))


def docnum_tokens(text: str) -> list[str]:
    """A token for each 文号 cited in ``text``.

    Running text leaves words before a 代字 (…的通知鲁政办发〔2017〕39号 has no
    boundary between 通知 and 鲁政办发), so each cited 文号 is indexed under
    every tail of its 代字 of two characters or more; one of them is the
    代字 itself, which is what a query's 文号 parses to.
    """
    tokens = []
    for docnum in find_docnums(text):
        code = docnum.issuer_code
        for start in range(len(code) - 1):
            tail = parse_docnum(docnum.normalized[start:])
            if tail is not None:
                tokens.append(docnum_token(tail))
    return tokens
