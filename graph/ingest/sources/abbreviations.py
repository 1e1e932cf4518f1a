"""German municipality names as people write them, from the abbreviated forms of the registers.

Why: Eurostat's LAU list gives German and Austrian municipalities their official names, and
many official names abbreviate ("Weiden i.d.OPf.", "Frankfurt a.Main", "Stolberg (Rhld.)",
"St. Pölten"). Twinning lists and searchers write them out ("Weiden in der Oberpfalz",
"Sankt Pölten"), so a unit whose official name abbreviates also carries the spelled-out name
as another name: the reconciliation matches it and search finds it. The official form stays
the unit's name.

Only abbreviations whose meaning is certain are spelled out: "a." can mean "am" or "an", so
it is read as "am" only before a river, lake or landscape name that takes "am" ("a.Main",
"a.Inn"); elsewhere the name is left as it is rather than guessed.
"""

from __future__ import annotations

import re

GERMAN_SPEAKING = frozenset({"DE", "AT", "CH", "LI"})
"""Countries whose register names may use these German abbreviations."""

_REGIONS = {
    "OPf.": "Oberpfalz", "OFr.": "Oberfranken", "UFr.": "Unterfranken",
    "MFr.": "Mittelfranken", "OB": "Oberbayern", "NB": "Niederbayern", "Bay.": "Bayern",
}
"""Bavarian administrative regions as the official names abbreviate them after "i." or
"i.d." ("Neumarkt i.d.OPf.", "Mühldorf a.Inn" aside)."""

_WORDS = (
    (re.compile(r"\bi\.d\.\s?OPf\."), "in der Oberpfalz"),
    (re.compile(r"\bi\.\s?(OFr\.|UFr\.|MFr\.|OB|NB|Bay\.)(?=$|[\s,)])"),
     None),  # "in Oberfranken", see _spell_region
    (re.compile(r"\ba\.d\.\s?"), "an der "),
    (re.compile(r"\bi\.d\.\s?"), "in der "),
    (re.compile(r"\bv\.d\.\s?"), "vor der "),
    (re.compile(r"\ba\.\s?(?=(Main|Inn|Lech|Rhein|Chiemsee|Ammersee|Staffelsee|Forst|Wald|"
                r"See|Neckar)\b)"), "am "),
    (re.compile(r"\bi\.\s?(?=(Allgäu|Wald|Fichtelgebirge|Steigerwald|Odenwald|"
                r"Schwarzwald|Spessart|Erzgebirge|Vogtland)\b)"), "im "),
    (re.compile(r"\bb\.\s?(?=[A-ZÄÖÜ])"), "bei "),
    (re.compile(r"\bu\.\s?(?=[A-ZÄÖÜ])"), "und "),
    (re.compile(r"\bSt\.\s?(?=[A-ZÄÖÜ])"), "Sankt "),
    (re.compile(r"\bRhld\."), "Rheinland"),
    (re.compile(r"\bWestf\."), "Westfalen"),
    (re.compile(r"\bErzgeb\."), "Erzgebirge"),
    (re.compile(r"\bVogtl\."), "Vogtland"),
    (re.compile(r"\bO\.L\."), "Oberlausitz"),
    (re.compile(r"\bOdw\."), "Odenwald"),
    (re.compile(r"\bHann\.\s?(?=Münden\b)"), "Hannoversch "),
)
"""Each abbreviation and what it stands for, the longer forms first."""


def _spell_region(match: re.Match[str]) -> str:
    return f"in {_REGIONS[match.group(1)]}"


def spelled_out(name: str, country: str) -> str:
    """``name`` with the German abbreviations of :data:`_WORDS` written out; ``name`` itself
    when there are none or the country is not German-speaking.

    >>> spelled_out("Weiden i.d.OPf.", "DE"), spelled_out("Frankfurt a.Main", "DE")
    ('Weiden in der Oberpfalz', 'Frankfurt am Main')
    >>> spelled_out("Hainburg a.d.Donau", "AT"), spelled_out("St. Pölten", "AT")
    ('Hainburg an der Donau', 'Sankt Pölten')
    >>> spelled_out("Stolberg (Rhld.)", "DE"), spelled_out("Rade b. Rendsburg", "DE")
    ('Stolberg (Rheinland)', 'Rade bei Rendsburg')
    >>> spelled_out("Neustadt b.Coburg", "DE"), spelled_out("Weißenburg i.Bay.", "DE")
    ('Neustadt bei Coburg', 'Weißenburg in Bayern')
    >>> spelled_out("Hohenwarth-Mühlbach a.M.", "AT")  # "am Main" or "am Manhartsberg"?
    'Hohenwarth-Mühlbach a.M.'
    >>> spelled_out("St. Gallen", "FR")
    'St. Gallen'
    """
    if country not in GERMAN_SPEAKING or "." not in name:
        return name
    spelled = name
    for pattern, words in _WORDS:
        spelled = pattern.sub(words if words is not None else _spell_region, spelled)
    return re.sub(r"\s{2,}", " ", spelled).strip()
