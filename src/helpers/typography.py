"""Typography of each language, applied to every text the report shows (pages and charts).

French (Imprimerie nationale): a narrow no-break space before ; ! ? and inside « », a no-break
space before :, so that no line starts with a colon or a closing mark. Both languages: the
apostrophe (U+2019) for a straight one after a word ("l'État", "OpenAI's", "founders' pledge"),
and a straight single quote opening a word after a space or a bracket becomes U+2018 (its
closing one is the apostrophe's sign). Only spaces already there are changed: nothing is
inserted into an address or a code. Applying it twice changes nothing.
"""

import re

NBSP, NNBSP = "\u00a0", "\u202f"
_APOSTROPHE = re.compile(r"(?<=[\w.,;:!?)\]])'")  # after a word or its punctuation
_OPENING = re.compile(r"(?<![^\s(\[\u201c])'(?=\w)")  # a word's first sign, at the start too
_FRENCH = (
    (re.compile(r"[ \u00a0\u202f]([;!?])"), NNBSP + r"\1"),
    (re.compile(r"[ \u202f]:"), NBSP + ":"),
    (re.compile(r"«[ \u00a0\u202f]?"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]?»"), NNBSP + "»"),
)


def typeset(text: str, lang: str) -> str:
    """`text` with the typography of `lang`."""
    text = _OPENING.sub("\u2018", _APOSTROPHE.sub("\u2019", text))
    if lang == "fr":
        for pattern, replacement in _FRENCH:
            text = pattern.sub(replacement, text)
    return text


# A quotation inside quoted words takes the language's inner marks: the outer ones are the
# page's (CSS `quotes`), so the words' own curly, straight or angle pairs become single marks in
# English and double curly marks in French. An unpaired mark is left as it is.
INNER_QUOTES = {"en": ("\u2018", "\u2019"), "fr": ("\u201c", "\u201d")}
_QUOTED = (
    re.compile(r'"([^"]*)"'),
    re.compile(r"\u201c([^\u201c\u201d]*)\u201d"),
    re.compile(r"«[ \u00a0\u202f]?([^«»]*?)[ \u00a0\u202f]?»"),
)


def nested_quotes(text: str, lang: str) -> str:
    """`text`, words to be quoted, with the quotations inside it marked as `lang` nests them."""
    left, right = INNER_QUOTES.get(lang, INNER_QUOTES["en"])
    for pattern in _QUOTED:
        text = pattern.sub(lambda match: left + match.group(1) + right, text)
    return text
