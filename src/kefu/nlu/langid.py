"""Language identification for zh / en / other. Works on 2–3 character Chinese such as "退货".

Most messages are decided by their script alone, in microseconds: Han → ``zh``; kana (Japanese),
hangul (Korean), Cyrillic, Arabic, Thai, ... → ``other``. Latin text is English unless it reads as
another Latin-script language ("Wo ist meine Bestellung?", "¿Dónde está mi pedido?"); only text that
is neither obviously English (mostly common English words) nor too short to tell goes to lingua
(``lingua-language-detector``, bundled models, no network), restricted to a few Latin-script
languages in its low-accuracy (trigram) mode: about 35 MB and 0.1 s to build, built once on first
need, thread-safe.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
# Letters of other scripts: Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Indic, Thai, Lao, Tibetan,
# Myanmar, Georgian, Ethiopic, Khmer, Mongolian, and the Hebrew/Arabic presentation forms.
_OTHER_SCRIPT = re.compile(
    r"[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0700-\u08ff\u0900-\u0dff"
    r"\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u10a0-\u10ff\u1200-\u137f\u1780-\u17ff\u1800-\u18af"
    r"\ufb1d-\ufdff\ufe70-\ufefc]"
)
_LATIN_LETTERS = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_WORD = re.compile(rf"[{_LATIN_LETTERS}]+(?:['’][A-Za-z]+)?")
# Letters English does not use (é in "café" is rare enough in customer messages), plus ¿ and ¡.
_NON_ENGLISH_MARK = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff¿¡]")
_IDENTIFIERS = re.compile(r"\S+@\S+|https?://\S+|#?\b[A-Za-z]*\d[A-Za-z0-9\-]*\b")

# Common English words of customer messages. Words shared with other Latin-script languages
# ("me", "no", "in", "is", "die", "son", "a") are left out: they must not make French or Spanish look English.
_ENGLISH_WORDS = """
    i'm i've i'd i'll im ive my mine you your you're yours u ur we our us he she his her him they them
    their it it's its this that that's these those the an and or but of to for with from by at about after
    before into are was were be been being am do does did don't doesn't didn't dont doesnt didnt have has
    had haven't hasn't havent hasnt can can't cant cannot could couldn't would wouldn't will won't wont
    should shall may might must not yes yeah yep ok okay please pls plz thanks thank thx hi hello hey bye
    what what's whats where where's wheres when why how who which there here still yet just only also too
    very really so any some all again now today tomorrow yesterday week day days hours time if than then
    as up out get got want need like know tell help check send sent give make see said say talk speak
    call wait waiting let go going come back one two more much many new same wrong right good great bad
    sorry someone anyone nobody agent human person manager order orders ordered package parcel delivery
    deliver delivered shipping shipped ship tracking track refund refunded return returned exchange
    cancel cancelled canceled item items product size color colour price payment pay paid charge
    charged card account balance transfer money fee fees bill invoice receipt address number phone email
    password login log app website status problem issue working work works broken damaged missing late
    arrived arrive received receive appointment doctor clinic hospital school teacher student exam
    tuition course store shop service customer support code reset change update open close closed
    available stock buy bought purchase discount coupon sale box shoes shirt dress jacket fit mistake
    already never ever because since until over under long did done isn't wasn't aren't it'll i'll
    awesome cheers mate worst best better worse terrible awful amazing excellent nice happy angry upset
    useless ridiculous welcome fine sure cool wow please kindly asap revert regarding assist
    invalid pending request requested reply replied answer contact message chat online voucher gift
    wire loan credit debit limit rate statement branch pharmacy prescription results test nurse ward
    homework grade grades semester class term parent parents kid kids daughter child wife husband
    week weeks month months year minutes morning evening night tonight yesterday soon quick fast slow
    still something anything nothing everything thing things way well even really actually maybe
    probably because while which whose without within between other another each every own off
    down away around through only first last next hour free cheap expensive small big bigger smaller
"""
_ENGLISH = frozenset(_ENGLISH_WORDS.split())

# Latin-script languages lingua chooses among; other scripts never reach it.
_LINGUA_LANGUAGES = (
    "ENGLISH",
    "FRENCH",
    "SPANISH",
    "GERMAN",
    "PORTUGUESE",
    "ITALIAN",
    "DUTCH",
    "INDONESIAN",
    "MALAY",
    "VIETNAMESE",
    "TURKISH",
    "POLISH",
    "TAGALOG",
    "SWEDISH",
    "DANISH",
    "BOKMAL",
    "FINNISH",
    "ROMANIAN",
    "CZECH",
    "HUNGARIAN",
)
_MAX_ENGLISH_CONFIDENCE_FOR_OTHER = 0.2  # "other" only when lingua all but rules English out

_detector_lock = threading.Lock()
_detector_instance: LanguageDetector | None = None


def detect_language(text: str, default: str = "en") -> str:
    """``zh`` if Han characters carry the message, ``en`` for English, ``other`` for anything else.

    Mixed messages such as "我要退货 order #W123" are Chinese: ids and brand names are Latin in both.
    Order ids, emails, links and very short words ("ok") say nothing: they get ``default``.
    Japanese (kana, even with kanji), Korean and other scripts are ``other``; so is Latin-script text
    in another language ("Bonjour, où est ma commande ?"). Latin messages of one or two words are
    English unless they carry letters English lacks (ñ, ß, ç, é, à, ¿).
    """
    text = _IDENTIFIERS.sub(" ", unicodedata.normalize("NFKC", text))
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    if kana and (kana >= 2 or kana >= han):
        return "other"  # Japanese: kana, with or without kanji
    hangul = len(_HANGUL.findall(text))
    if hangul and hangul >= han:
        return "other"
    words = _LATIN_WORD.findall(text)
    other = len(_OTHER_SCRIPT.findall(text))
    if other and other >= sum(len(w) for w in words) and other >= han:
        return "other"
    latin_words = sum(1 for w in words if len(w) >= 2)
    if han >= 2 or (han == 1 and latin_words <= 1):
        return "zh"
    if not words:
        return default
    if not han and len(words) == 1 and len(words[0]) <= 3:
        return default  # "ok", "yes", "no": not enough to switch the conversation's language
    return _latin_language(text, words)


def _latin_language(text: str, words: list[str]) -> str:
    """``en`` or ``other`` for Latin-script text (a single Han character among it is ignored)."""
    marked = _NON_ENGLISH_MARK.search(text) is not None
    if len(words) <= 2 and not marked:
        return "en"  # "ok thanks", "refund pls", "Bonjour": too short to tell, and English is likelier
    if not marked:
        counted = [w.lower().replace("’", "'") for w in words if len(w) >= 2]
        hits = sum(1 for w in counted if w in _ENGLISH)
        if hits and 3 * hits >= len(counted):
            return "en"  # the fast path for most English: no model needed
    return _lingua_language(" ".join(words))


def _lingua_language(text: str) -> str:
    from lingua import Language

    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].language == Language.ENGLISH:
        return "en"
    english = next((v.value for v in values if v.language == Language.ENGLISH), 0.0)
    return "other" if english <= _MAX_ENGLISH_CONFIDENCE_FOR_OTHER else "en"


def _detector() -> LanguageDetector:
    """The lingua detector, built on first use (about 0.1 s) and shared by all threads."""
    global _detector_instance
    if _detector_instance is None:
        with _detector_lock:
            if _detector_instance is None:
                from lingua import Language, LanguageDetectorBuilder

                languages = [getattr(Language, name) for name in _LINGUA_LANGUAGES]
                _detector_instance = (
                    LanguageDetectorBuilder.from_languages(*languages)
                    .with_low_accuracy_mode()
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector_instance
