"""Typography of each language, applied to every text the report shows (pages and charts).

French (Imprimerie nationale): a narrow no-break space before ; ! ? and inside « », a no-break
space before :, so that no line starts with a colon or a closing mark. Both languages: the
apostrophe (U+2019) between letters. Only spaces already there are changed: nothing is inserted
into an address or a code. Applying it twice changes nothing.
"""

import re

NBSP, NNBSP = "\u00a0", "\u202f"
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_FRENCH = (
    (re.compile(r"[ \u00a0\u202f]([;!?])"), NNBSP + r"\1"),
    (re.compile(r"[ \u202f]:"), NBSP + ":"),
    (re.compile(r"«[ \u00a0\u202f]?"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]?»"), NNBSP + "»"),
)


def typeset(text: str, lang: str) -> str:
    """`text` with the typography of `lang`."""
    text = _APOSTROPHE.sub("\u2019", text)
    if lang == "fr":
        for pattern, replacement in _FRENCH:
            text = pattern.sub(replacement, text)
    return text
