"""Text normalisation shared by the index and the queries: words, stop words, word stems."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[a-z0-9]+")

# Function words plus the filler CSRs type around a caller's question ("customer wants to know
# how to ..."). Words that carry meaning in this domain ("no", "not", "new", "late") stay.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can cant could did do does doing done dont down during each
    few for from further get gets getting got had has have having he her here hers herself him
    himself his how i if im in into is it its itself ive just let lets like me more most my
    myself of off on once only or other our ours ourselves out over own please same she should
    so some such than that thats the their theirs them themselves then there these they this
    those through to too under until up us very was we were what whats when where which while
    who whom why will with would you your yours yourself yourselves hi hello thanks thank ok okay
    caller customer client asking asks asked wants wanted want wanting know tell need
    needs needed help query question enquiry someone somebody something anything re regarding
    still really just oh um er ya yeah yes pls plz u ur youre weve theyre theyve hes shes
    isnt arent wasnt werent doesnt didnt wont wouldnt shouldnt couldnt havent hasnt hadnt
    theres heres whos wheres hows cuz coz
    """.split()
)

# Numbers as callers say them: with "600", "4am" and "15th", a detail of the caller's case.
NUMBER_WORDS = frozenset(
    """
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million first second third fourth fifth sixth seventh eighth ninth tenth
    twelfth twentieth thirtieth half quarter dozen couple
    """.split()
)


def is_number(word: str) -> bool:
    """An amount, an age, a time or a date: "600", "4am", "15th", "sixty", "hundreds"."""
    return any(map(str.isdigit, word)) or word in NUMBER_WORDS or word[:-1] in NUMBER_WORDS


# The combining marks decomposition leaves after a letter (the Unicode blocks of them).
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower case without accents, so 'Café' and 'cafe' are one word. One regular
    expression over the decomposed text, not a walk through its characters: most articles
    hold a '£' or a curly quote, so this is the path nearly every one takes."""
    if text.isascii():
        return text.lower()
    return COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))


# Apostrophes join rather than split, so "don't" is one (stop) word and "tenant's" stems;
# any other character that is not a letter or digit separates words.
_SEPARATE = bytes(code if chr(code).isalnum() and code < 128 else 32 for code in range(256))


# The endings of "we'll", "I'd", "they're", "I've", "I'm" after a pronoun, dropped with their
# apostrophe, so what is left is the pronoun (a stop word). Joined up they are other words:
# "we'll" is a private well, "she'd" a garden shed, "I'd" proof of ID, "I'll" ill health.
# After any other word they stay: "rec'd" and "req'd" are a CSR's shorthand.
CONTRACTED = re.compile(r"['\u2019](?:ll|d|re|ve|m)\b")
PRONOUNS = frozenset(
    "i you he she it we they that there who what where how this these those".split()
)


def uncontract(match: re.Match) -> str:
    # The pattern starts at the apostrophe, so the scan is fast (a lookbehind for the
    # letter before it made it three times slower); the word before it is looked at only
    # for the few that match.
    text, end = match.string, match.start()
    begin = end
    while begin and "a" <= text[begin - 1] <= "z":
        begin -= 1
    return "" if text[begin:end] in PRONOUNS else match.group()


def words(text: str) -> list[str]:
    """The runs of a-z and 0-9 in the folded text (WORD). Most text is plain ASCII once
    folded, and for it one byte-table translation and a split do what the regular
    expression does in a third of the time."""
    folded = fold(text)
    if "'" in folded or "\u2019" in folded:
        folded = CONTRACTED.sub(uncontract, folded)
    if folded.isascii():
        return folded.encode().translate(_SEPARATE, b"'").decode().split()
    return WORD.findall(folded.replace("'", "").replace("\u2019", ""))


# Irregular plurals, to the singular the stemmer meets the others in: a caller's "mice in
# the loft", "how many people live here" and an article's "mouse", "single person". The
# stemmer knows only endings. Irregular verbs ("paid", "heard", "went") were tried and left
# out: they are mostly the caller's story, and reading them as an article's "pay", "hear"
# and "go" answered more questions nothing covers.
IRREGULAR = {
    "children": "child",
    "feet": "foot",
    "geese": "goose",
    "halves": "half",
    "knives": "knife",
    "lice": "louse",
    "men": "man",
    "mice": "mouse",
    "people": "person",
    "shelves": "shelf",
    "thieves": "thief",
    "teeth": "tooth",
    "wives": "wife",
    "women": "woman",
}

# Spellings of the street and the text message, read as the word they spell: "homless
# tonite" is a caller homeless tonight, not a question about a rare word no article uses.
INFORMAL = {
    "tonite": "tonight",
    "2nite": "tonight",
    "nite": "night",
    "2day": "today",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tmrw": "tomorrow",
    "tomoz": "tomorrow",
    "yday": "yesterday",
    "thru": "through",
    "b4": "before",
    "ppl": "people",
    "bday": "birthday",
    "wk": "week",
    "wks": "weeks",
    "mth": "month",
    "mths": "months",
}

# Words the stemmer would cut to another word's stem: paying in instalments is not
# installing a meter, a flat is not "apart", the news is not "new", the local authority is
# not an authorisation, a chat is not a loft conversion, vegetables are not vegetation.
OWN_STEMS = {
    **dict.fromkeys(("instalment", "instalments", "installment", "installments"), "instalment"),
    **dict.fromkeys(("apartment", "apartments"), "apartment"),
    **dict.fromkeys(("authority", "authorities"), "authority"),
    **dict.fromkeys(("conversation", "conversations"), "conversation"),
    **dict.fromkeys(("vegetable", "vegetables"), "vegetable"),
    "news": "news",
}

_SNOWBALL = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem, so plurals and word forms meet ("moving", "moves")."""
    if word.isdigit():
        return word
    if word in OWN_STEMS:
        return OWN_STEMS[word]
    word = INFORMAL.get(word, word)
    word = IRREGULAR.get(word, word)
    stemmed = _SNOWBALL.stemWord(word)
    if stemmed == word and 4 <= len(word) <= 5 and word[-1] == "s" and word[-2] not in "su":
        stemmed = word[:-1]  # plurals of abbreviations: "HMOs", "DHPs", "TPOs"
    # British and American spellings meet: "licence" and "license" share one stem.
    if stemmed.endswith("nc"):
        stemmed = stemmed[:-1] + "s"
    return stemmed


def terms(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Stemmed search terms of a text, stop words dropped."""
    return [stem(w) for w in words(text) if keep_stop_words or w not in STOP_WORDS]


@lru_cache(maxsize=1)
def _english() -> dict[str, float]:
    """wordfreq's small English list, the one zipf() reads: imported and loaded when first
    asked for (a fifth of a second), not by everything that splits text into words."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", "small")


@lru_cache(maxsize=65_536)
def zipf(word: str) -> float:
    """How common the word is in English on the Zipf scale (wordfreq's small list; 0 when it
    is not there). A word of plain lower-case letters is its own and only token, so it is
    looked up straight away, rounded as wordfreq rounds; wordfreq's own tokenising, a
    twentieth of a build, is left to anything else."""
    if not (word.isascii() and word.isalpha() and word.islower()):
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en", wordlist="small")
    frequency = _english().get(word)
    if frequency is None:
        return 0.0
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(frequency, 10) + 9, 2)
