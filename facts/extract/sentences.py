"""Markdown-aware sentence splitting that keeps character spans into the original body."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Markdown noise, each replaced by spaces of the same length so offsets stay valid.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)
_HR = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$", re.M)
_BULLET = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:[-*+•]|\d{1,3}[.)])[ \t]+", re.M)
_QUOTE_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\n]*)\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<https?://[^>\s]+>")
_HTML = re.compile(r"</?[A-Za-z][^>\n]*>")
_EMPH = re.compile(r"\*\*|__|~~|`+|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])")
_TABLE = re.compile(r"\|")
_LINE_START_BLOCK = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]|[-*+•][ \t]|\d{1,3}[.)][ \t]|>)")

# Sentence boundaries: terminal punctuation, optional closers, whitespace, then a plausible opener.
_BOUNDARY = re.compile(r"([.!?…]+)([\"”’)\]]*)(\s+)(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREV = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr no vs etc inc co corp ltd llc
    plc dept univ est approx jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    fig ft mt pres rev hon messrs e.g i.e a.m p.m u.s u.k u.n e.u d.c n.y l.a""".split()
)
# After a dotted initialism such as U.S., a capitalised function word usually starts a new sentence.
_STARTERS = frozenset(
    """the a an it he she they we i this that these those but and yet so however in on at for after
    before when while if as there his her their its our officials analysts meanwhile still also""".split()
)
_NEXT_WORD = 80  # longer than any word the starters list holds
_RUN_CHAR = re.compile(r"[\w.]")
_WORD_CHAR = re.compile(r"\w")


def _tail_word(text: str, end: int) -> str | None:
    """What `(\\b[\\w.]+)$` would find in text[:end], read backwards from `end` (linear, not quadratic).

    Searching the whole prefix at every sentence end made splitting grow with the square of the length.
    """
    start = end
    while start > 0 and _RUN_CHAR.match(text, start - 1):
        start -= 1
    while start < end and not _WORD_CHAR.match(text, start):
        start += 1  # a run of dots has no word boundary before it
    return text[start:end] if start < end else None


@dataclass(frozen=True)
class Sentence:
    """One sentence: its index, span in the body, the cleaned raw slice and its readable text."""

    index: int
    start: int
    end: int
    raw: str
    text: str
    heading: bool = False


def clean_markdown(body: str) -> str:
    """Blank out Markdown markup with spaces so the result has the same length as `body`."""

    def blank(m: re.Match[str]) -> str:
        return " " * (m.end() - m.start())

    def link(m: re.Match[str]) -> str:
        inner = m.group(1)
        return " " * (m.end() - m.start() - len(inner)) + inner

    # Each pattern needs the character or pair named before it: a plain substring test skips the rest.
    text = _FRONT_MATTER.sub(blank, body) if body.startswith("---") else body
    text = _HR.sub(blank, text)
    text = _IMAGE.sub(blank, text) if "![" in text else text
    text = _LINK.sub(link, text) if "](" in text else text
    if "][" in text:
        text = _REF_LINK.sub(lambda m: " " * (m.end() - m.start() - len(m.group(1))) + m.group(1), text)
    text = _AUTOLINK.sub(blank, text) if "<http" in text else text
    text = _HTML.sub(blank, text) if "<" in text else text
    text = _HEADING.sub(blank, text) if "#" in text else text
    text = _BULLET.sub(blank, text)
    text = _QUOTE_MARK.sub(blank, text) if ">" in text else text
    text = _EMPH.sub(blank, text) if any(c in text for c in "*_~`") else text
    text = _TABLE.sub(" ", text) if "|" in text else text
    return text


_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w)\s+(?=[.,;:!?](?:\s|$))")
# After squeezing, \s can only be a single space (re's \s is exactly what str.split splits on).
_SPACE_PUNCT_HINT = re.compile(r" [.,;:!?]")


def readable(raw: str) -> str:
    """Squeeze whitespace (including gaps left by blanked markup) into a readable line."""
    squeezed = " ".join(raw.split())
    return _SPACE_BEFORE_PUNCT.sub("", squeezed) if _SPACE_PUNCT_HINT.search(squeezed) else squeezed


def _blocks(body: str, clean: str) -> list[tuple[int, int, bool]]:
    """Paragraph-like blocks as (start, end, heading) spans of the cleaned text."""
    blocks: list[tuple[int, int, bool]] = []
    pos = 0
    start = 0
    heading = False
    prev_line = ""
    for line in body.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        stripped = line.strip()
        cleaned = clean[line_start:pos].strip()
        is_block_start = bool(_LINE_START_BLOCK.match(line)) or not stripped
        prev_closed = not prev_line or prev_line.rstrip().endswith((".", "!", "?", "”", '"', ":", "…", ")"))
        if is_block_start or prev_closed or heading:
            if start < line_start:
                blocks.append((start, line_start, heading))
            start = line_start
            heading = bool(re.match(r"^[ \t]{0,3}#{1,6}[ \t]", line))
        if not cleaned:
            start = pos
            heading = False
        prev_line = cleaned
    if start < len(body):
        blocks.append((start, len(body), heading))
    return blocks


def _split_block(clean: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one block of cleaned text into sentence spans."""
    spans: list[tuple[int, int]] = []
    seg_start = start
    chunk = clean[start:end]
    for m in _BOUNDARY.finditer(chunk):
        punct = m.group(1)
        tail = _tail_word(chunk, m.start(1)) if punct == "." else None
        if punct == "." and tail and not m.group(2):
            word = tail.lower().rstrip(".")
            # The next word, read from a bounded slice: splitting the whole rest copied it every time.
            nxt = chunk[m.end() : m.end() + _NEXT_WORD].split(" ", 1)[0].strip('“"‘(').lower()
            if len(word) == 1 and word.isalpha():
                continue  # an initial such as "J."
            if word in _ABBREV:
                if "." in word and nxt in _STARTERS:
                    pass  # "… to the U.S. The next …"
                else:
                    continue
        cut = start + m.end(2)
        spans.append((seg_start, cut))
        seg_start = start + m.end()
    spans.append((seg_start, end))
    out = []
    for s, e in spans:
        while s < e and clean[s].isspace():
            s += 1
        while e > s and clean[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _quote_open(text: str) -> bool:
    """True when a quotation opened in `text` is still open at its end."""
    if text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1


def split_sentences(body: str) -> list[Sentence]:
    """Split a Markdown or plain body into sentences with spans indexing `body`."""
    clean = clean_markdown(body)
    sentences: list[Sentence] = []
    for b_start, b_end, heading in _blocks(body, clean):
        spans = _split_block(clean, b_start, b_end)
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and _quote_open(clean[merged[-1][0] : merged[-1][1]]) and len(merged[-1]) == 2:
                ms, _ = merged[-1]
                if e - ms < 1500:
                    merged[-1] = (ms, e)
                    continue
            merged.append((s, e))
        for s, e in merged:
            raw = clean[s:e]
            text = readable(raw)
            if not any(ch.isalnum() for ch in text):
                continue
            sentences.append(Sentence(len(sentences), s, e, raw, text, heading))
    return sentences
