"""Word lists behind the hygiene rules: spellings, country names, statutory wording, articles."""

from __future__ import annotations

import re
from collections.abc import Callable

from iso3166 import countries

from contractkit.spec import US_STATES
from contractkit.templating import COUNTRY_NAMES

Fix = Callable[[str], str]


def _swap(old: str, new: str) -> Fix:
    def fix(word: str) -> str:
        fixed = re.sub(old, new, word, flags=re.IGNORECASE)
        return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed

    return fix


_IZE_STEMS = (
    "author|organ|recogn|minim|pseudonym|anonym|sanit|util|priorit|character|summar|final|"
    "standard|custom|optim|real|special|categor|harmon|maxim|memor|emphas|critic|item|"
    "jeopard|penal|capital|digit|synchron|local|normal|visual|central|stabil|familiar|"
    "computer|monet|rational|formal|modern|subsid|legal|apolog|general|prior"
)

# British form -> how to fix it. Word boundaries use \w, so spec values such as
# customer_favourable (an identifier) are never matched.
SPELLING: list[tuple[re.Pattern[str], Fix]] = [
    (re.compile(r"\blicenc(e|es|ed|ing|ee|ees|or|ors)\b", re.I), _swap("licenc", "licens")),
    (re.compile(r"\bwilful(ly|ness)?\b", re.I), _swap("wilful", "willful")),
    (re.compile(r"\bdefence(s)?\b", re.I), _swap("defence", "defense")),
    (re.compile(r"\boffence(s)?\b", re.I), _swap("offence", "offense")),
    (re.compile(r"\blabour(s|ed|ing|er|ers)?\b", re.I), _swap("labour", "labor")),
    (
        re.compile(rf"\b(?:{_IZE_STEMS})is(e|es|ed|ing|ation|ations|er|ers)\b", re.I),
        _swap(r"is(e|es|ed|ing|ation|ations|er|ers)$", r"iz\1"),
    ),
    (re.compile(r"\banalys(e|es|ed|ing)\b", re.I), _swap(r"ys(e|es|ed|ing)$", r"yz\1")),
    (
        re.compile(
            r"\b(?:favour|behaviour|colour|honour|endeavour|neighbour|harbour|rumour)\w*", re.I
        ),
        _swap("our", "or"),
    ),
    (
        re.compile(r"\b(?:cent|met|theat|fib|lit|calib)re(s|d)?\b", re.I),
        _swap(r"re(s|d)?$", r"er\1"),
    ),
    (re.compile(r"\bcatalogue(s|d)?\b", re.I), _swap("catalogue", "catalog")),
    (re.compile(r"\bprogramme(s)?\b", re.I), _swap("programme", "program")),
    (re.compile(r"\b(?:judge|acknowledge)ment(s)?\b", re.I), _swap("ement", "ment")),
    (re.compile(r"\benrol(s|ment|ments)?\b", re.I), _swap("enrol", "enroll")),
    (re.compile(r"\bfulfil(s|ment|ments)?\b", re.I), _swap("fulfil", "fulfill")),
    (re.compile(r"\binstalment(s)?\b", re.I), _swap("instalment", "installment")),
    (
        re.compile(
            r"\b(?:label|model|travel|signal|counsel|channel|level|total)l(ed|ing|er|ers)\b", re.I
        ),
        _swap(r"ll(ed|ing|er|ers)$", r"l\1"),
    ),
    (re.compile(r"\b(?:whilst|amongst)\b", re.I), _swap("st$", "")),
    (re.compile(r"\bageing\b", re.I), _swap("ageing", "aging")),
    (re.compile(r"\bartefact(s)?\b", re.I), _swap("artefact", "artifact")),
    (re.compile(r"\benquir(y|ies)\b", re.I), _swap("enquir", "inquir")),
    (re.compile(r"\bper cent\b", re.I), _swap("per cent", "percent")),
    (re.compile(r"\b(?:paed|haem|anaesth|oesoph|orthopaed)\w*", re.I), _swap("ae|oe", "e")),
]


# Names that keep their own spelling and name a place without bringing its law into the deal.
PROPER_NAMES = re.compile(
    "|".join(
        re.escape(name)
        for name in (
            "International Centre for Dispute Resolution",
            "Singapore International Arbitration Centre",
            "London Court of International Arbitration",
            "Hong Kong International Arbitration Centre",
            "International Chamber of Commerce",
            "New York Convention",
        )
    )
)


def _country_words() -> dict[str, str]:
    """Each country's names, and the adjectives the drafts are likely to use, with its code."""
    skip = set(US_STATES) | {"Jersey", "Chad", "Jordan", "Georgia", "Guinea"}
    names: dict[str, str] = {}
    for country in countries:
        for name in (country.apolitical_name, country.name):
            if "," not in name and "(" not in name and name not in skip:
                names[name] = country.alpha2
    for code, name in COUNTRY_NAMES.items():
        names[name.removeprefix("the ")] = code
    names.update(
        {
            "Indian": "IN",
            "Kenyan": "KE",
            "Philippine": "PH",
            "Filipino": "PH",
            "Vietnamese": "VN",
            "South African": "ZA",
            "Pakistani": "PK",
            "Bangladeshi": "BD",
            "Sri Lankan": "LK",
            "Nigerian": "NG",
            "Egyptian": "EG",
            "Ukrainian": "UA",
            "Chinese": "CN",
            "Mexican": "MX",
            "Brazilian": "BR",
            "Colombian": "CO",
            "Canadian": "CA",
            "British": "GB",
            "Irish": "IE",
        }
    )
    return names


COUNTRY_CODES = _country_words()
COUNTRY_WORDS = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(n) for n in sorted(COUNTRY_CODES, key=len, reverse=True))
    + r")(?![\w-])"
)

# (the provision is quoted here, a paraphrase that misstates it, what the statute says)
STATUTE_WORDING: list[tuple[re.Pattern[str], re.Pattern[str], str]] = [
    (
        re.compile(r"1833\(b\)"),
        re.compile(r"\b(?:is|are) not held\b|\bshall not be (?:criminally or civilly )?liable\b"),
        "18 U.S.C. 1833(b)(1) reads 'shall not be held criminally or civilly liable'",
    ),
    (
        re.compile(r"1833\(b\)"),
        re.compile(r"notice (?:required by|required under|under|in) 18 U\.S\.C\. 1833\(b\)(?!\()"),
        "the immunity notice is 'the notice described in 18 U.S.C. 1833(b)(3)'",
    ),
]

# Pronounced letter by letter, "an" before these first letters (an NDA, an SLA, an IP).
_AN_LETTERS = frozenset("AEFHILMNORSX")
# Capitalised abbreviations read as words, with the article their sound takes.
_SPOKEN = {
    "HIPAA": False,
    "NIST": False,
    "DICOM": False,
    "WAV": False,
    "JSON": False,
    "COCO": False,
    "YOLO": False,
    "KITTI": False,
    "FLAC": False,
    "LAS": False,
    "POPIA": False,
    "ISO": True,
    "SHA": False,
}
# Either article is in use: SOC, SOP, SOW said as words or as letters.
_EITHER = frozenset(["SOC", "SOP", "SOPs", "SOW", "SIAC", "SQL", "URL", "FAQ"])
_YOO = re.compile(
    r"^(?:uni(?!d|n|m|nt)|use|usu|uti|uto|ura|ure|uri|euro?|ewe|one\b|once|ubiq|unanim)", re.I
)
_SILENT_H = re.compile(r"^(?:hour|honest|honor|honour|heir|herb)", re.I)


def needs_an(word: str) -> bool | None:
    """Whether the word after an article takes 'an'; None when either reads well."""
    core = word.strip("\u2019'-")
    if not core:
        return None
    head = re.split(r"[-\u2019']", core)[0] or core
    if head in _EITHER:
        return None
    if head in _SPOKEN:
        return _SPOKEN[head]
    if head[:1].isdigit():
        digits = re.match(r"\d+", head)
        number = digits.group(0) if digits else ""
        return (
            number.startswith("8")
            or number in ("11", "18")
            or (len(number) in (5, 6) and number[:2] in ("11", "18"))
        )
    if len(head) == 1 or (head.isupper() and len(head) > 1):
        return head[0].upper() in _AN_LETTERS
    if _SILENT_H.match(head):
        return True
    if _YOO.match(head):
        return False
    return head[0].lower() in "aeiou"
