"""Requests said in running prose, and the vendor's commitments that answer them.

A stage of its own: given one sentence and an ``AgentFinder``, ``find_ask`` returns what the
sentence asks for and who asks it, when its verb is one of asking or wanting, whatever comes
before the subject ("Lors de cette séance, plusieurs utilisateurs ont plébiscité l'idée
d'organiser …", "Les communes rurales réclament un mode hors ligne", "Brest Métropole
souhaiterait pouvoir exporter …", "Plusieurs collectivités ont exprimé le besoin de …").
``find_commitment`` reads a sentence where the vendor says what it will do ("Entr'ouvert
mettra à disposition un salon", "EO proposera une formation", "Entr'ouvert va étudier la
question") and gives its stance. Neither knows where the sentence is in the report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .agents import AgentFinder
from .model import Agent

I = re.IGNORECASE
_AUX = r"(?:(?:ont|a|avaient|avait|auraient|aurait)\s+(?:\w+ment\s+|tous\s+|toutes\s+|unanimement\s+)?)"
# The verbs of asking.
_VERBS = (rf"(?:{_AUX}(?:plébiscité|réclamé|demandé|souhaité|suggéré|proposé|sollicité|appelé\s+de\s+leurs\s+vœux)"
          r"|plébiscit(?:e|ent)|réclam(?:e|ent)|demand(?:e|ent)|souhait(?:e|ent|erait|eraient)|aimerai(?:en)?t|voudrai(?:en)?t"
          r"|sugg[èé]r(?:e|ent)|attend(?:ent)?(?=\s+(?:une?|des|que|qu'))|sollicit(?:e|ent)"
          rf"|{_AUX}?(?:exprimé|émis|fait\s+part\s+d[eu']|formulé|remonté|partagé)\s*(?:le|un|leur|son|des|de\s+leur|de\s+son)?\s*"
          r"(?:besoins?|souhaits?|vœux?|demandes?|attentes?|envie))")
# The verb of asking and what it asks for right after it.
_VERB = re.compile(rf"\s{_VERBS}\s+(?P<object>.+)$", I)
# A verb of asking that leads a list: "les participants réclament notamment :", "les
# communes souhaiteraient pouvoir :", "Brest Métropole a demandé les points suivants :".
_LEAD = re.compile(rf"\s{_VERBS}(?:\s+(?:notamment|surtout|en\s+particulier|aussi|également|pouvoir|que|les\s+points\s+suivants"
                   r"|ce\s+qui\s+suit|de\s+pouvoir|à\s+pouvoir))*\s*:\s*$", I)
# Words that open what is asked and are not part of it.
_OPENING = re.compile(r"^(?:(?:fortement|vivement|unanimement|également|aussi)\s+)*"
                      r"(?:l'idée\s+(?:de\s+|d')|la\s+possibilité\s+(?:de\s+|d')|(?:à\s+)?pouvoir\s+(?=\w)(?!être)|de\s+pouvoir\s+|"
                      r"s'il\s+(?:serait|est|était)\s+(?:possible|envisageable|prévu)\s+(?:de\s+|d'|que\s+|qu')|"
                      r"(?:qu'|que\s+)(?:Entr'ouvert|EO|l'éditeur)\s+|(?:à\s+ce\s+)?(?:qu'|que\s+)|de\s+|d'|à\s+)?", I)
# The subject: the words before the verb, after the last comma or clause opener.
_SUBJECT_CUT = re.compile(r"^.*(?:,|;|:|\bet\s+que\b|\bmais\b|\bdonc\b"
                          r"|\bet\b(?=\s+(?:les|la|le|l'|des|plusieurs|certaine?s?|de\s+nombreu)))\s*", I)
# A subject that stands for several members without naming them.
_SOME = re.compile(r"^(?:(?:plusieurs|certaines?|certains|de\s+nombreu(?:x|ses)|quelques|les|des|la\s+plupart\s+des|nombre\s+de)\s+)"
                   r"(?:autres\s+)?(?:utilisateurs|participants|collectivités|membres|villes|communes|métropoles"
                   r"|départements|agents|adhérents|structures|clients|présents)\b.*$", I)

_VENDOR_SUBJECT = re.compile(r"^(?:.*?,\s*)?(?P<who>Entr'?ouvert|EO|l'éditeur|l'équipe\s+d'Entr'?ouvert)\s+(?P<rest>.+)$", I)
# What the vendor says it will do, and the stance it is (club:Stance notations).
_COMMITMENTS = [
    ("under-study", re.compile(r"^(?:va|vont|allons)\s+(?:étudier|regarder|examiner|analyser)|^étudiera|^examinera|^regardera"
                               r"|^(?:s'engage|s'est\s+engagée?)\s+à\s+étudier", I)),
    ("planned", re.compile(r"^(?:prévoit|a\s+prévu|planifie|a\s+planifié|développera|ajoutera|livrera|intégrera|publiera"
                           r"|(?:va|vont)\s+(?:développer|ajouter|livrer|intégrer|publier))\b", I)),
    ("accepted", re.compile(r"^(?:mettra|met|va\s+mettre)\s+à\s+disposition|^(?:proposera|organisera|fournira|ouvrira|animera"
                            r"|créera|offrira|(?:va|vont)\s+(?:proposer|organiser|fournir|ouvrir|animer|créer))\b"
                            r"|^(?:s'engage|s'est\s+engagée?)\s+à\b|^accepte\b|^a\s+accepté\b", I)),
]


@dataclass(frozen=True)
class Ask:
    who: list[Agent]       # the bodies or group asking; empty when the subject names none
    subject: str           # the subject as written ("plusieurs utilisateurs")
    text: str              # what is asked, as written
    start: int             # where the verb starts in the sentence


@dataclass(frozen=True)
class Commitment:
    text: str              # the vendor's sentence, from its subject
    stance: str            # accepted, planned, under-study


def find_ask(sentence: str, finder: AgentFinder) -> Ask | None:
    """What the sentence asks for, if its verb is one of asking or wanting."""
    m = _VERB.search(sentence)
    if m is None:
        return None
    subject = _SUBJECT_CUT.sub("", sentence[:m.start()]).strip()
    obj = _OPENING.sub("", m.group("object"), count=1).strip(" .;:")
    if len(obj.split()) < 3:
        return None
    who = _askers(subject, finder, ("organization", "group", "person"))
    return Ask(who, subject, obj, m.start()) if who else None


def _askers(subject: str, finder: AgentFinder, kinds: tuple[str, ...]) -> list[Agent] | None:
    """Who a verb of asking's subject names: bodies, people, or a group ("plusieurs
    utilisateurs"); None for a pronoun, a long phrase or a thing ("Le formulaire demande
    une adresse": no one asks)."""
    if not subject or len(subject.split()) > 8 or re.match(r"^(?:il|elle|on|nous|je|ce|cela|qui)\b", subject, I):
        return None
    who = [a for a in finder.who(subject) if a.kind in kinds]
    if not who and not _SOME.match(subject):
        return None
    return who or [finder.group(subject)]


def find_lead(sentence: str, finder: AgentFinder) -> list[Agent] | None:
    """Who asks for the items after a sentence that leads a list with a verb of asking
    ("En séance, les participants réclament notamment :"), else None."""
    m = _LEAD.search(sentence)
    if m is None:
        return None
    return _askers(_SUBJECT_CUT.sub("", sentence[:m.start()]).strip(), finder, ("organization", "group"))


def find_commitment(sentence: str) -> Commitment | None:
    """The vendor's commitment a sentence states, with its stance."""
    m = _VENDOR_SUBJECT.match(sentence.strip())
    if m is None:
        return None
    for stance, pattern in _COMMITMENTS:
        if pattern.search(m.group("rest")):
            return Commitment(sentence[m.start("who"):].strip(" ."), stance)
    return None
