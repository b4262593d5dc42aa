"""Snippets: a short passage of the ORIGINAL text (with its diacritics) around the words that
matched, the words marked with <mark>, everything else HTML-escaped.

Matching happens on folded text; ``textfold.FoldedText`` maps every folded position back to
the original characters, so "nghi quyet" marks "Nghị quyết" exactly, even in decomposed
Unicode. Only the rows of the page on display get a snippet (≤ 20 per search).
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vanphong.core.textfold import FoldedText

# The passage shown: about this many characters of the original.
WIDTH = 220
# The original text is folded this much at a time while looking for a match.
_WINDOW = 4000


def terms_pattern(terms: list[str], *, prefix_last: bool) -> re.Pattern[str] | None:
    """A pattern over folded text matching any of the terms as whole words (the last one
    also as the beginning of a word when the query ends while it is being typed)."""
    if not terms:
        return None
    alternatives = [re.escape(t) + r"(?!\w)" for t in terms[:-1]]
    alternatives.append(re.escape(terms[-1]) + (r"\w*" if prefix_last else r"(?!\w)"))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + ")")


def _marked(original: str, folded: FoldedText, pattern: re.Pattern[str], start: int, end: int) -> str:
    """HTML for ``original[start:end]`` with every match marked (``folded`` is of ``original``)."""
    out: list[str] = []
    cursor = start
    for match in pattern.finditer(folded.folded, folded.position(start), folded.position(end)):
        m_start, m_end = folded.span(match.start(), match.end())
        if m_start < cursor or m_end > end:
            continue
        out.append(escape(original[cursor:m_start]))
        out.append(f"<mark>{escape(original[m_start:m_end])}</mark>")
        cursor = m_end
    out.append(escape(original[cursor:end]))
    return "".join(out)


def _word_start(text: str, index: int) -> int:
    if index <= 0:
        return 0
    space = text.rfind(" ", max(0, index - 30), index)
    return space + 1 if space >= 0 else index


def _word_end(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    space = text.find(" ", index, index + 30)
    return space if space >= 0 else index


def passage(text: str, pattern: re.Pattern[str], *, hint: int = 0, width: int = WIDTH) -> str | None:
    """The marked passage of ``text`` around its first match at or after about ``hint``
    (a position in the folded index text, which is never longer than the original before
    it), or None when nothing matches."""
    start_at = max(0, hint - 500)
    while start_at < len(text):
        window = text[start_at : start_at + _WINDOW + width]
        folded = FoldedText.of(window)
        match = pattern.search(folded.folded)
        if match is not None:
            first, _end = folded.span(match.start(), match.end())
            begin = _word_start(window, max(0, first - width // 4))
            finish = _word_end(window, min(len(window), begin + width))
            html = _marked(window, folded, pattern, begin, finish)
            prefix = "… " if start_at + begin > 0 else ""
            suffix = " …" if start_at + finish < len(text) else ""
            return prefix + html.replace("\n", " ") + suffix
        start_at += _WINDOW
    return None


def _distinct(pattern: re.Pattern[str], folded: str) -> int:
    return len({m.group() for m in pattern.finditer(folded)})


def snippet(*, subject: str, text: str, folded_body: str, terms: list[str], prefix_last: bool) -> SafeString:
    """The snippet of one result: from the subject when it holds at least as many of the
    words as the extracted text, else a passage of the text, else the start of the subject."""
    pattern = terms_pattern(terms, prefix_last=prefix_last)
    if pattern is not None:
        folded_subject = FoldedText.of(subject)
        in_subject = _distinct(pattern, folded_subject.folded)
        in_body = _distinct(pattern, folded_body) if text else 0
        if in_subject and in_subject >= in_body:
            return mark_safe(_marked(subject, folded_subject, pattern, 0, len(subject)))  # noqa: S308
        hit = pattern.search(folded_body) if in_body else None
        if hit is not None:
            found = passage(text, pattern, hint=hit.start()) or passage(text, pattern)
            if found is not None:
                return mark_safe(found)  # noqa: S308
    short = subject if len(subject) <= WIDTH else subject[: _word_end(subject, WIDTH)] + " …"
    return mark_safe(escape(short))  # noqa: S308
