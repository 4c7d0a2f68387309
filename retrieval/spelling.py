"""The one reader of a shopper's spelling: Hinglish words, Hindi budget and cart phrases, and
typos, for every path that reads what a shopper typed.

Two users, one behaviour: the bot's NLU normaliser (``bot/components/normaliser.py``, first in
Rasa's pipeline, aiming at the bot's vocabulary) and the search action (``actions`` and
``search/relevance.py``, aiming at the catalogue's title words). ``aisle eval search`` runs the
search action's path, so a typo chat reads is read there too.

- :data:`HINGLISH`, a curated lexicon of Hindi/Hinglish words in Latin letters → the catalogues'
  English words ("namak" → "salt", "sasta" → "cheap"), and :func:`rewrite_phrases` for a budget
  said the Hindi way ("200 se kam" → "under 200") and putting in the cart ("cart mein daal do").
- :class:`Speller`: a word that is neither known (an English word, a target, a lexicon word) nor
  too short becomes the closest target with the same first letter, within one edit (a
  transposition is one; two for words of eight letters or more), the commonest of those when
  counts are given. Three letters without a vowel ("wsh") are a word typed in a hurry.

Runs in both Python environments (the Rasa one is 3.10 and has no project dependencies but
``rapidfuzz``): only the standard library and ``rapidfuzz`` are imported here.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

# Hindi/Hinglish (Latin letters) → the catalogue's English words. Written for this assistant.
HINGLISH: dict[str, str] = {
    **dict.fromkeys(["namak"], "salt"),
    **dict.fromkeys(["sabun", "saabun"], "soap"),
    **dict.fromkeys(["chawal", "chaawal", "chaval"], "rice"),
    **dict.fromkeys(["doodh", "dudh"], "milk"),
    **dict.fromkeys(["haldi"], "turmeric"),
    **dict.fromkeys(["daal", "dal"], "dal"),
    **dict.fromkeys(["cheeni", "chini", "shakkar"], "sugar"),
    **dict.fromkeys(["tel"], "oil"),
    **dict.fromkeys(["chai", "chaay", "chaai"], "tea"),
    **dict.fromkeys(["mirch", "mirchi"], "chilli"),
    **dict.fromkeys(["jeera", "zeera"], "cumin"),
    **dict.fromkeys(["dhania", "dhaniya"], "coriander"),
    **dict.fromkeys(["pyaz", "pyaaz", "kanda"], "onion"),
    **dict.fromkeys(["aloo", "alu"], "potato"),
    **dict.fromkeys(["tamatar"], "tomato"),
    **dict.fromkeys(["sabzi", "sabji"], "vegetables"),
    **dict.fromkeys(["phal"], "fruits"),
    **dict.fromkeys(["anda", "ande", "anday"], "eggs"),
    **dict.fromkeys(["makhan", "makkhan"], "butter"),
    **dict.fromkeys(["dahi"], "curd"),
    **dict.fromkeys(["kapde", "kapda", "kapre"], "clothes"),
    **dict.fromkeys(["joote", "joota", "jutte"], "shoes"),
    **dict.fromkeys(["chappal", "chappals"], "slippers"),
    **dict.fromkeys(["sasta", "sasti", "saste", "sastaa"], "cheap"),
    **dict.fromkeys(["mehenga", "mehnga", "mehngi", "mehenge", "mehange"], "expensive"),
    **dict.fromkeys(["accha", "achha", "acha", "achchha"], "good"),
    **dict.fromkeys(["bada", "badi", "bade"], "big"),
    **dict.fromkeys(["chhota", "chota", "chhoti", "choti"], "small"),
    **dict.fromkeys(["daam", "keemat", "kimat"], "price"),
    **dict.fromkeys(["chahiye", "chaiye", "chahie", "chahiya"], "want"),
    **dict.fromkeys(["dikhao", "dikhaao", "dikha", "dikhana"], "show"),
    **dict.fromkeys(["mujhe", "muje", "mereko", "mujhko"], "i"),
    **dict.fromkeys(["kitna", "kitne", "kitni"], "how much"),
    **dict.fromkeys(["aur"], "and"),
    **dict.fromkeys(["ek"], "one"),
    **dict.fromkeys(["nahi", "nahin", "nai"], "not"),
    **dict.fromkeys(["sirf", "sirif"], "only"),
    **dict.fromkeys(["wala", "wali", "wale", "waala", "waali", "waale", "vala", "vali"], "one"),
    **dict.fromkeys(["pehla", "pehli", "pehle", "pahla", "pahli"], "first"),
    **dict.fromkeys(["teesra", "teesri", "tisra"], "third"),
    **dict.fromkeys(["kuch", "kuchh", "kucch"], "some"),
    **dict.fromkeys(["koi", "koyi"], "any"),
    **dict.fromkeys(["thoda", "thodi", "thode"], "little"),
    **dict.fromkeys(["zyada", "jyada", "zada", "jada"], "more"),
    **dict.fromkeys(["bhi"], "also"),
    **dict.fromkeys(["kahan", "kaha", "kahaan", "kidhar"], "where"),
    **dict.fromkeys(["kab"], "when"),
    **dict.fromkeys(["mera", "meri", "mere"], "my"),
}
# Words shoppers use that the actions read ("not too pricey") but that the encoder's vocabulary
# lacks: never "corrected" ("pricey" is not a typo of "price").
CHAT_WORDS = frozenset(
    "pricey pricy pricier priciest costlier cheapo overpriced dearer cheapest sulphate sulfate "
    "paraben parabens".split()
)
# Putting something in the cart, said the Hindi way: "cart mein daal do", "basket me rakh do";
# then "daal do" alone ("daal" is also the lentil, and "do" also two).
CART_PUT = re.compile(
    r"\b(?:cart|basket|bag|trolley)\s+(?:mein|me|main|mai|men)\s+"
    r"(?:daal|dal|daalo|dalo|rakh|rakho|add kar|add karo)\s*(?:do|dijiye|dijie|dena|de)?\b",
    re.IGNORECASE,
)
# Only first in the message or after what it points at ("pehla wala daal do", "ise daal do"):
# "masoor dal dena" asks for masoor dal, and "dal do kilo" is two kilos of dal.
PUT = re.compile(
    r"(^\s*|\b(?:ye|yeh|ise|isko|use|usko|it|this|that|one|wala|wali|wale|waala|waali|first|"
    r"second|third|pehla|pehli|dusra|doosra|teesra)\s+)(?:daal|dal|daalo|dalo)\s+"
    r"(?:do|dijiye|dijie|dena)\b(?!\s*(?:kilo|kg|g|gm|grams?|litres?|l|packets?|packs?|pieces?)\b)",
    re.IGNORECASE,
)
# A budget said the Hindi way: "200 se kam", "300 ke andar", "500 tak", "100 rupaye se kam".
BUDGET = re.compile(
    r"\b(\d[\d,]*)\s*(?:rs\.?|rupaye|rupaiye|rupees?|₹)?\s*"
    r"(?:se\s+kam|se\s+sasta|ke\s+andar|ke\s+niche|ke\s+neeche|tak)\b",
    re.IGNORECASE,
)
VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
LATIN_WORD = re.compile(r"[A-Za-z]+")
MIN_LENGTH = 4  # shorter words are too ambiguous to correct (but for three consonants)
LONG_WORD = 8  # words this long may be two edits from the intended spelling


def english_words(encoder_folder: Path) -> frozenset[str]:
    """The whole, alphabetic words of the sentence encoder's tokenizer (~20k English words)."""
    tokenizer = json.loads((encoder_folder / "tokenizer.json").read_text(encoding="utf-8"))
    return frozenset(w for w in tokenizer["model"]["vocab"] if w.isalpha() and w.isascii())


def rewrite_phrases(text: str) -> str:
    """Hindi budget and cart phrases as English ("300 ke andar" → "under 300")."""
    text = BUDGET.sub(lambda m: f"under {m.group(1)}", text)
    return PUT.sub(r"\1add", CART_PUT.sub("add to cart", text))


def a_typo(word: str) -> bool:
    """Whether ``word`` (lower case) is long enough to correct: four letters or more, or three
    consonants ("wsh", "pls")."""
    return len(word) >= MIN_LENGTH or (len(word) == 3 and not VOWEL.search(word))


class Speller:
    """Corrects a word to the closest of ``targets`` (see the module docstring); words in
    ``known`` (and the targets, and the lexicon's words) are never changed."""

    def __init__(
        self,
        targets: Iterable[str],
        known: Iterable[str] = (),
        counts: Mapping[str, int] | None = None,
    ) -> None:
        wanted = {w for w in targets if w.isalpha() and w.isascii()}
        self.known = frozenset(known) | wanted | frozenset(HINGLISH) | CHAT_WORDS
        self.counts: Mapping[str, int] = counts or {}
        letters: dict[str, list[str]] = defaultdict(list)
        for word in sorted(wanted):
            if len(word) >= MIN_LENGTH - 1:
                letters[word[0]].append(word)
        self.by_letter = {letter: tuple(found) for letter, found in letters.items()}

    def correct(self, word: str) -> str:
        """``word`` (lower case) as the targets spell it, else unchanged."""
        if word in self.known or not word.isalpha() or not a_typo(word):
            return word
        from rapidfuzz.distance import OSA
        from rapidfuzz.process import extract

        edits = 2 if len(word) >= LONG_WORD else 1
        candidates = self.by_letter.get(word[0], ())
        found = extract(word, candidates, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if not found:
            return word
        return max(found, key=lambda f: (self.counts.get(f[0], 0), -f[1]))[0]

    def word(self, token: str) -> str:
        """One typed word: the lexicon's English, else its correction (capital kept)."""
        lower = token.lower()
        if lower in HINGLISH:
            return HINGLISH[lower]
        fixed = self.correct(lower)
        if fixed == lower:
            return token
        return fixed.capitalize() if token[0].isupper() else fixed

    def __call__(self, text: str) -> str:
        """``text`` with its Hindi phrases rewritten and each Latin word read by :meth:`word`."""
        return LATIN_WORD.sub(lambda m: self.word(m.group(0)), rewrite_phrases(text))


_LEXICON_ONLY = Speller(())


def translate(text: str) -> str:
    """``text`` with Hindi phrases and Hinglish words in English, typos left as typed (the
    search path corrects product words against the catalogue's own spelling later)."""
    return _LEXICON_ONLY(text)
