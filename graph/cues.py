"""French cue patterns the extraction rules rely on (data, not code).

Each pattern is matched on text run through ``text.clean`` (Markdown escapes undone,
apostrophes unified), case-insensitively unless said otherwise.
"""
from __future__ import annotations

import re

I = re.IGNORECASE

VENDOR = re.compile(r"\bEntr'?ouvert\b|\b(?-i:EO)\b", I)      # "EO": the usual short form
# Introduces the vendor's answer: "Réponse d'Entr'ouvert :", "retour Entr'ouvert :",
# "Entr'ouvert répond :".
RESPONSE = re.compile(
    r"(?:^|(?<=[.;:!?])\s*|\s+)(?:(?:réponse|retour|commentaire|avis)s?\s+(?:de\s+l'éditeur|d'\s*Entr'?ouvert|de\s+Entr'?ouvert|Entr'?ouvert)"
    r"|Entr'?ouvert\s+(?:répond|indique|précise|rappelle|propose))\s*:?\s*"
    # "… → Entr'ouvert : pas pour l'instant", "→ réponse : …"
    r"|\s*(?:→|->|=>|⇒)\s*(?:(?i:réponse|retour)(?:\s+(?:d'\s*)?(?:Entr'?ouvert|EO))?|Entr'?ouvert|(?-i:EO)|l'éditeur)\s*:\s*"
    # a question's answer: "Réponse : …" opening a block, or "… ? R : …" / "… ? Réponse : …" /
    # "… ? R. …", or "Réponse : …" after a sentence ends
    r"|^(?:(?i:réponse)|R)\s*:\s*|(?<=[?.!])\s+[*_]*(?:(?i:réponse)|R)\s*[*_]*\s*:\s*|(?<=\?)\s+[*_]*R\.[*_]*\s+", I)
# A named body or group asks for something.
REQUEST_LEAD = re.compile(
    r"^(?:demandes?|besoins?|souhaits?|attentes?|questions?)\s+(?:exprimée?s?\s+|posée?s?\s+)?(?:des|de la|du|de l'|d'|de)\s+(?P<who>[^:]+?)\s*:\s*(?P<text>.+)$", I)
# "Q (Strasbourg) : …", "Question (Ville de Metz) : …"
QUESTION_LEAD = re.compile(r"^(?:questions?|Q|demandes?)\.?\s*\((?P<who>[^)]+)\)\s*[*_]*\s*[:.]?\s*(?P<text>.+)$", I)
# "Doublons de comptes (VdM) : fusion de deux comptes …": an item's topic, who asks it, then what.
TOPIC_WHO_LEAD = re.compile(r"^(?P<topic>[^:()]{2,40}?)\s*\((?P<who>[^()]+)\)\s*:\s*(?P<text>.+)$")
INTERVENTION = re.compile(
    r"^(?:intervention|question|remarque|demande)\s+(?:de la |du |de l'|de |d')(?P<who>.+?)\s+pour\s+(?P<verb>\w+)\s+(?P<rest>.+)$", I)
WISH = re.compile(
    r"^(?P<who>.+?)\s+(?:souhaiterai(?:en)?t|souhaite(?:nt)?|voudrai(?:en)?t|aimerai(?:en)?t|demande(?:nt)?|a besoin|ont besoin)\s+(?P<text>.+)$", I)
SHARE = re.compile(r"\b(?:partager|mutualiser|mettre à disposition|reverser|cofinancer|co-financer)\b.*\b(?:développements?|connecteurs?|démarches?|travaux|outils?)\b"
                   r"|\bdéveloppement\s+mutualisé\s+(?:est\s+)?propos", I)
CALL = re.compile(r"\bpropositions?\s+(?:sont\s+)?bienvenues?\b|\bappel\s+(?:à|aux)\s+(?:propositions|contributions|volontaires|idées)\b"
                  r"|\bn'hésitez pas à (?:proposer|nous faire part)\b|\bintégration\s+possible\b|\bnous\s+proposons\b", I)
RAISED_BY = re.compile(r"\b(?:évoquée?s?|soulevée?s?|exprimée?s?|portée?s?|demandée?s?|remontée?s?|proposée?s?)\s+par\s+", I)
# A list of requests follows this lead-in.
LIST_LEAD = re.compile(r"\b(?:évoqués?|demandés?|souhaités?|exprimés?|remontés?|proposés?)\s+par\b|\bdemandes?\b.*:\s*$|\bsouhaits?\b.*:\s*$|\bpoints suivants\b", I)
GROUP = re.compile(r"\b(?:les\s+)?(?:participants|utilisateurs(?:\s+présents)?|membres(?:\s+du\s+club)?|collectivités\s+présentes|personnes\s+présentes)\b", I)
EARLIER_MEETING = re.compile(
    r"\b(?:lors|au cours|à l'occasion)\s+d[eu]\s+(?:la\s+|du\s+)?(?:dernier\s+|précédent\s+|précédente\s+)?(?:club|réunion)\s+(?:du\s+club\s+)?(?:de|d'|du)\s+(?P<when>[\wéû]+\s+\d{4})", I)
# "lors de la dernière réunion", "au précédent club", "à la réunion précédente" (no date given)
PREVIOUS_MEETING = re.compile(
    r"\b(?:lors|au cours|à l'occasion)\s+d[eu]\s+(?:la\s+|du\s+)?(?:dernier|dernière|précédent|précédente)\s+(?:club|réunion)\b"
    r"(?!\s+(?:du\s+club\s+)?(?:de|d'|du)\s+[\wéû]+\s+\d{4})"
    r"|\b(?:à|lors de)\s+la\s+(?:réunion|rencontre)\s+précédente\b|\bau\s+(?:précédent|dernier)\s+club\b", I)
EVALUATION = re.compile(r"\b(?:en cours de test|teste(?:nt)?|testé|évalue(?:nt)?|en cours d'évaluation|expérimente(?:nt)?"
                        r"|en expérimentation|en test|pilote|étudie(?:nt)?|envisage(?:nt)?|s'intéresse(?:nt)? à)\b", I)
# A body saying it uses a tool: "Rouen utilise Publik", "la métropole a déployé Passerelle".
USE = re.compile(r"\b(?<!n')(?:utilise(?:nt)?|(?:a|ont)\s+(?:mis en place|mis en œuvre|déployé|adopté|choisi|retenu|migré vers)"
                 r"|s'appuie(?:nt)?\s+sur|exploite(?:nt)?|(?:son|leur)\s+(?:usage|utilisation)\s+(?:de|d'))\b(?!\s+(?:pas|plus|jamais)\b)", I)
DEMONSTRATIVE = re.compile(r"\b(?:cette solution|cet outil|ce logiciel|cette application|celui-ci|celle-ci)\b", I)
PRESENTATION = re.compile(
    r"^(?:présentation|intervention|retour d'expérience|retour d'expériences|démonstration|démo|témoignage|focus)\b(?P<rest>.*)$", I)
BY = re.compile(r"\s+(?:par|de la|du|de l'|de|d')\s+(?=[A-ZÉÈ])")
SPEAKERS = re.compile(r"\s+par\s+(?P<who>.+)$")
WORKSHOP = re.compile(r"^(?:atelier|groupe de travail|table ronde|workshop)\b", I)
ATTACHMENTS = re.compile(r"^(?:fichiers?|pièces?\s+jointes?|documents?(?:\s+joints?)?|supports?(?:\s+de\s+présentation)?|attachments?)$", I)
DESCRIPTION = re.compile(r"^(?:descriptif|description)\b\s*(?P<paren>\([^)]*\))?\s*,?\s*(?P<after>[^:]*?)\s*:\s*(?P<text>.*)$", I)
EVOLUTIONS = re.compile(r"^(?:évolutions?|projets?|perspectives?)\s+(?:envisagées?|prévues?|à venir|futures?)\s*:\s*(?P<text>.*)$", I)
# A card written as "key : value" lines: what each key says.
KEY_VALUE = re.compile(r"^(?P<key>[^:]{2,60}?)\s*:\s*(?P<value>.+)$")
KEY_OPENING = re.compile(r"\b(?:ouverture|mise en (?:ligne|service)|en ligne depuis|lancement du portail)\b", I)
KEY_TOOLS = re.compile(r"\b(?:outils?|logiciels?|solutions?|briques?|progiciels?|applications?|connecteurs?)\b", I)
KEY_TESTING = re.compile(r"\b(?:en test|à l'étude|évalu\w*|testée?s?|envisagée?s?|étudiée?s?)\b", I)
KEY_PROJECTS = re.compile(r"^(?:projets?|évolutions?|perspectives?|prochaines?\s+étapes?|à venir|chantiers?|feuille de route|roadmap)\b", I)
KEY_NEEDS = re.compile(r"^(?:besoins?|demandes?|attentes?|souhaits?|difficultés?|points? d'attention)\b", I)
KEY_COUNT = re.compile(r"^(?:nombre|nb)\s+(?:de\s+|d')(?P<unit>.+)$", I)
KEY_PORTAL = re.compile(r"^(?:nom du\s+)?portail$", I)
# A participant saying when their portal opened or will: "portail ouvert en 2016".
PORTAL_OPENING = re.compile(r"\bportail\b.{0,60}?\b(?:ouvert|ouvrira|ouvrir|ouverture|mis en (?:ligne|service)|lancé|lancement)\b", I)
OPENING = re.compile(r"\b(?:ouverture|mise en (?:ligne|service)|lancement)\b", I)
PORTAL_NAME = re.compile(r"\b(?i:mise en (?:œuvre|oeuvre|place)|lancement|ouverture)\s+(?i:de|du|d')\s*(?i:portail\s+)?(?P<name>[A-Za-z][\w-]*[A-Z][\w-]*|[A-Z][\w-]+)")
NEW_TOOL_APPOSITION = re.compile(r"\b(?P<name>[A-Z][\w-]+|[a-z]+[A-Z][\w-]*),\s+(?:un|une|la|le|l'|notre|son|sa|leur)\s*"
                                 r"(?:outil|logiciel|progiciel|plate-?forme|application|solution|service|module)\b")
# Products listed in parentheses after a plural kind word: "les logiciels de Libriciel SCOP
# (i-Parapheur, Pastell, web-delib, S²LOW)".
NEW_TOOL_LIST = re.compile(r"\b(?i:logiciels|outils|applications|solutions|briques|produits|modules)\b[^()]{0,60}\((?P<list>[^()]{3,200})\)")
_PRODUCT = r"(?:[A-Za-z][\w²³.-]*[A-Z0-9²³][\w²³.-]*|[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+){0,2}|[a-z]+(?:[-.][a-z]+)+)"
PRODUCT_NAME = re.compile(rf"^{_PRODUCT}$")
# "avec la solution ClicRDV", "le logiciel libre Ciril", "via une plateforme Big Blue Button",
# "le portail famille Agora": a product named right after its kind word (for a portal, after one
# lower-case qualifier: "le portail Agent de Publik" is a part of Publik, no product). The name is
# one capitalized word or two to three title-case words ("Big Blue Button"), not followed by
# another capitalized word, and never a determiner ("la plateforme Mes Démarches" is no tool name).
_TOOL_NAME = (r"(?P<name>(?!(?:Mes|Nos|Vos|Mon|Ma|Ton|Ta|Son|Sa|Ses|Leur|Notre|Votre|Le|La|Les|L|Un|Une|Des|Du|De|Ce|Cet|Cette)\b)"
              r"(?:[A-Z][a-zà-ÿ]+(?:[ \u00a0][A-Z][a-zà-ÿ]+){1,2}|[A-Z][\w-]*[A-Za-z0-9]|[a-z]+[A-Z][\w-]*))"
              r"(?![\w'’-])(?!\s+[A-ZÉÈ])")
# A kind word's qualifier, in lower case: "libre", "d'état civil", "de gestion du courrier", "financier".
_QUALIFIER = r"(?:\s+(?:(?:de|d'|du|des|de\s+la|de\s+l')\s*)?[a-zà-ÿ][a-zà-ÿ'-]+){0,4}?"
NEW_TOOL_KIND = re.compile(r"\b(?i:la|le|l['’]|les|des|du|un|une|au|aux|son|sa|ses|leur|notre|nos|votre)\s*"
                           r"(?:(?i:solution|logiciel|progiciel|outil|application|connecteur|plate-?forme|forge|ENT|parapheur|GRC|SIG)s?"
                           + _QUALIFIER +
                           r"|(?i:portail)\s+(?!(?i:de|du|des|d)\b)[a-zà-ÿ]+)"
                           r"(?:\s+|,\s+)" + _TOOL_NAME)
# A body naming the product it uses: "elle utilise aujourd'hui Démarches Simplifiées".
NEW_TOOL_USED = re.compile(r"\b(?<!n')(?:utilise(?:nt)?|(?:a|ont)\s+(?:déployé|adopté|choisi|retenu|migré\s+vers)|s'appuie(?:nt)?\s+sur)"
                           r"(?:\s+(?:aujourd'hui|déjà|désormais|actuellement|encore|toujours))?\s+" + _TOOL_NAME)
# "via BigBlueButton": after a bare "via", only a name shaped like a product (an inner capital
# or a digit), since "via Vincennes", "via Marie" or "via le portail" name no software.
NEW_TOOL_VIA = re.compile(r"\b(?:(?i:via)\s+(?P<name>[A-Z][a-z]+[A-Z][\w-]*|[a-z]+[A-Z][\w-]*|[A-Z][A-Za-z]*\d[\w-]*)"
                          # after "sur", "avec", "dans", "par" only an inner capital ("sur BigBlueButton"): not "sur A4", "avec SIIM94"
                          r"|(?i:sur|avec|dans|par)\s+(?P<named>[A-Z][a-z]+[A-Z][\w-]*|[a-z]+[A-Z][\w-]*))(?![\w'’-])")
NEW_TOOL_URL = re.compile(r"\b(?P<name>[A-Z][\w-]+|[a-z]+[A-Z][\w-]*)\s+\(<?(?P<url>https?://[^)>\s]+)>?\)")
FIGURE = re.compile(r"(?<![\w,.])(?P<num>\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:\s*(?P<u1>%|ko|Mo|Go)\b|\s+(?P<u2>par\s+an|par\s+mois|[a-zà-ÿ]+(?:\s+(?:par\s+an|en\s+ligne|formés?|impliquées?|déposée?s|internes|agents))?))", I)
FILE_NAME = re.compile(r"^\S+\.(?:pdf|odt|ods|odp|docx?|xlsx?|pptx?|zip|png|jpe?g|csv|txt|md)$", I)
FILE_SIZE = re.compile(r"(?P<num>\d+(?:[,.]\d+)?)\s*(?P<unit>octets|ko|Ko|Mo|Go|KB|MB|GB|kB)\b")
# "Claire Morel", "Jean-Pierre de Vries", or by initial "C. Morel" ("M." alone is Monsieur)
PERSON = re.compile(r"^(?:[A-ZÉÈ][a-zéèëêïîôöüç]+(?:-[A-ZÉÈ][a-zéèëêïîôöüç]+)?|(?!M\.)[A-ZÉÈ]\.)"
                    r"(?:\s+(?:de\s+|d')?[A-ZÉÈ][\w'-]+){1,2}$")

# Stances of the vendor's answers (club:Stance notations), first match wins per stance.
STANCES = [
    ("declined-for-now", re.compile(r"compliqué pour le moment|pas (?:prévu|envisagé|possible|prioritaire)|pas pour (?:le moment|l'instant)"
                                    r"|ne (?:sera|pourra|pouvons) pas|hors (?:de portée|périmètre)|refus"
                                    r"|n'(?:envisage|est|a|prévoit)\s+pas|ne\s+(?:les?\s+|la\s+|l')?(?:\w+ra|\w+rons|prévoit|fera)\s+pas"
                                    r"|n'en\s+\w+ra\s+pas|^non\b|pas\s+au\s+programme|ce\s+n'est\s+pas\s+prévu", I)),
    ("alternative-offered", re.compile(r"pourra être (?:réglé|traité|résolu|couvert)|peut (?:déjà )?être (?:réglé|traité|résolu)|à la place"
                                       r"|en passant par|alternative|contournement|il est déjà possible"
                                       r"|passen?t?\s+déjà\s+par|il\s+faut\s+passer\s+par|(?:est|c'est)\s+déjà\s+possible\s+(?:en|avec|via|par)"
                                       r"|existe\s+déjà|plutôt\s+que|conseille\s+(?:de|d')|suggère\s+plutôt|(?:déjà\s+)?faisable\s+avec", I)),
    ("under-study", re.compile(r"réflexions?\s+(?:sont\s+|est\s+)?en cours|à l'étude|en cours d'étude|nous (?:allons )?étudi|sera étudié|en réflexion|nous allons regarder"
                               r"|étudiera|examinera|(?:va|vont|allons)\s+(?:étudier|examiner|regarder|analyser)", I)),
    ("planned", re.compile(r"nous prévoyons|(?<!n')est prévue?|sont prévue?s|sera (?:ajouté|disponible|livré|intégré|développé)|(?<!pas )prévue? (?:pour|en|dans|d'ici)"
                           r"|(?:est|sont)\s+actée?s?|(?<!n'en )(?<!ne )(?:livrera|ajoutera|développera|intégrera)\b|prochaine\s+version"
                           r"|inscrite?s?\s+(?:à|dans)\s+(?:la\s+)?(?:roadmap|feuille\s+de\s+route)"
                           r"|(?<!pas )au programme|(?<!pas )dans la roadmap|planifiée?|en cours de développement", I)),
    ("accepted", re.compile(r"nous disposons|peuvent être mis(?:es)? à disposition|peut être mis(?:e)? à disposition|envisageables?"
                            r"|c'est (?:déjà |tout à fait )?possible|déjà (?:possible|disponible|en place)|^oui\b"
                            r"|nous acceptons|bonne idée|volontiers|est disponible|c'est fait|(?<!pas )faisable|^accord\b"
                            r"|(?:sera|seront)\s+(?:proposée?s?|organisée?s?|mise?s?\s+en\s+place)", I)),
]
ALTERNATIVE = re.compile(r"(?:pourra être (?:réglé|traité|résolu|couvert)|peut (?:déjà )?être (?:réglé|traité|résolu)|en passant par|il est déjà possible)\s+(?:avec\s+|par\s+|de\s+)?(?P<alt>[^.;]+)", I)

ORDINAL_WORDS = {
    "premiere": 1, "premier": 1, "fondatrice": 1, "inaugurale": 1, "deuxieme": 2, "seconde": 2, "second": 2,
    "troisieme": 3, "quatrieme": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8,
    "neuvieme": 9, "dixieme": 10, "onzieme": 11, "douzieme": 12, "treizieme": 13, "quatorzieme": 14,
    "quinzieme": 15, "seizieme": 16, "dix septieme": 17, "dix huitieme": 18, "dix neuvieme": 19, "vingtieme": 20,
}
ORDINAL_DIGITS = re.compile(r"\b(\d{1,2})\s*(?:e|è|ème|eme|ième|ieme|er|ère|re)s?\b[\s_]*(?:réunion|rencontre|club|édition|comité|assemblée|séance)"
                            # "Club utilisateurs Publik n°9", "Club Publik #9", "réunion n° 9", "Comité de pilotage n°3"
                            r"|\b(?:réunion|rencontre|club|publik|édition|comité(?:\s+de\s+pilotage)?|séance|assemblée)\s+(?:n\s?°|no\.?|#)\s?(\d{1,2})\b", I)
HOST = re.compile(r"\b(?:(?:à|sur)\s+(?:l')?invitation\s+d[eu]|accueil(?:lie?s?)?(?:\s+\w+){0,4}?\s+par|chez|hébergée?\s+par|dans\s+les\s+locaux\s+d[eu]"
                  r"|organisée?\s+par)\s+(?:la\s+|le\s+|l')?(?P<who>[^,;.()]+)", I)
# Premises named by their owner: "siège de Soluris", "locaux de la Métropole".
PREMISES_OF = re.compile(r"^(?:(?:au|le|les|dans\s+les)\s+)?(?:siège|locaux|bâtiments?)\s+(?:de\s+la\s+|du\s+|de\s+l'|des\s+|de\s+|d')(?P<who>.+)$", I)
VENUE = re.compile(r"(?:,|\s)(?:au|à la|à l'|aux|à|dans les locaux de la|dans la|dans le)\s+(?P<venue>[A-ZÉÈÀ][^,;.()]*)")
# The software (and its vendor) a users' meeting is about: "Comité des utilisateurs Libriciel",
# "club des utilisateurs des logiciels de Libriciel SCOP", "utilisateurs de la solution X".
USERS_OF = re.compile(r"\butilisat(?:eurs|rices)\s+(?:des\s+logiciels\s+|du\s+logiciel\s+|de\s+la\s+solution\s+|des\s+solutions\s+"
                      r"|des\s+outils\s+|des\s+produits\s+)?(?:de\s+|d'|du\s+)?(?P<who>(?:[A-Z]|[a-z]+[A-Z])[\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})")
# Who organised a users' meeting: "Les Rencontres des utilisateurs de Lizmap, organisées par 3Liz".
ORGANISED_BY = re.compile(r"\borganisée?s?\s+par\s+(?P<who>(?:[A-Z0-9]|[a-z]+[A-Z])[\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})")
# A body receiving the meeting: "Brest métropole recevait …", "la Ville de Pau accueillait …".
RECEIVED_BY = re.compile(r"(?:^|,\s*)(?:le\s+|la\s+|l')?(?P<who>[A-ZÉÈ][^,;.()]{1,60}?)\s+(?:recevait|accueillait|a\s+reçu|a\s+accueilli|reçoit|accueille)\b")
# Words that start the name of a room or building, written in lower case after its preposition:
# "dans la salle d'honneur de l'Hôtel de Ville", "à l'amphithéâtre du Département".
ROOM = re.compile(r"^(?:la\s+|le\s+|l')?(?:salle|salles|amphithéâtre|auditorium|hémicycle|hôtel|maison|centre|espace|siège"
                  r"|locaux|bâtiment|cité|palais|médiathèque|bibliothèque|mairie|préfecture|campus|pôle|tiers-lieu)\b", I)
BUILDING = re.compile(r"(?:,|\s)(?:dans\s+(?:la|le|les|l')|au|aux|à\s+la|à\s+l'|(?<=,)\s*)\s*(?P<venue>(?i:salle|salles|amphithéâtre|auditorium"
                      r"|hémicycle|hôtel|maison|centre|espace|siège|bâtiment|cité|palais|médiathèque|bibliothèque|campus)\b[^,;.()]*)")
OCCASION = re.compile(r"\b(?:à l'occasion|en marge) d(?:es|u|e la|e l'|e)\s*(?P<what>[^,;.]+)", I)

# -- the meeting itself: which sentence says it was held, when, where, how, hosted by whom --
# A sentence about the meeting being held: "La 9ème réunion … s'est tenue", "Le club a eu lieu".
MEETING_WORDS = re.compile(r"\b(?:réunion|club|rencontre|séance|comité|assemblée|webinaire|atelier|groupe\s+de\s+travail"
                           r"|s'est\s+(?:tenue?|réunie?|déroulée?)|se\s+sont\s+(?:tenue?s|réunie?s|déroulée?s)|a\s+eu\s+lieu"
                           r"|se\s+tiendra|aura\s+lieu)\b", I)
HELD = re.compile(r"\b(?:s'est\s+(?:tenue?|réunie?|déroulée?)|se\s+sont\s+(?:tenue?s|réunie?s|déroulée?s)|a\s+eu\s+lieu|ont\s+eu\s+lieu"
                  r"|se\s+tiendra|se\s+déroulera|aura\s+lieu)\b", I)
# The thanks that name who hosted: "Nous remercions l'équipe de Villejuif pour son accueil",
# "Merci à la Ville de Brest de nous avoir accueillis", "… Rennes Métropole, qui nous a reçus".
_HOSTED = r"(?:accueilli|reçu|hébergé)e?s?"
HOST_THANKS = re.compile(
    r"\b(?:(?:nous\s+)?remerci(?:ons|e|ent)|merci(?:\s+(?:encore|beaucoup|infiniment))?\s+(?:à|a|aux))\s+(?:\w+ment\s+)?(?:à\s+)?(?P<who>[^,;.()]+?)\s*,?\s+"
    rf"(?:pour\s+(?:son|leur|votre|cet|ce|l')\s*(?:chaleureux\s+|excellent\s+|bel\s+)?(?:accueil|organisation)"
    rf"|pour\s+(?:l'organisation|avoir\s+organisé)|(?:de|pour)\s+nous\s+avoir\s+(?:\w+\s+)?{_HOSTED}"
    rf"|qui\s+nous\s+(?:a|ont)\s+(?:\w+\s+)?{_HOSTED}|d'avoir\s+(?:\w+\s+)?{_HOSTED}\s+(?:la|cette|notre)\s+(?:réunion|rencontre|séance|journée|club))", I)
# "l'équipe de Villejuif", "les services de la Ville de Brest": the body behind its staff.
STAFF_OF = re.compile(r"^(?:l'|la\s+|le\s+|les\s+)?(?:équipes?|services?|agents?|collègues?|élus?|personnels?|organisateurs?)"
                      r"\s+(?:de\s+la\s+|du\s+|de\s+l'|des\s+|de\s+|d')", I)
# A place named for an earlier meeting, not this one: "l'année dernière, réunis à Metz".
EARLIER_PLACE = re.compile(r"\b(?:l'année\s+(?:dernière|passée|précédente)|l'an\s+(?:dernier|passé)|la\s+dernière\s+fois"
                           r"|(?:lors\s+d[eu]|au|à\s+la|le|la)\s+(?:la\s+)?(?:précédente?|dernière?)\s+(?:réunion|club|édition|rencontre|séance|comité|assemblée)"
                           r"|(?:réunion|édition|rencontre|séance|comité|assemblée)\s+précédente|(?:il\s+y\s+a|voici)\s+(?:un|deux|\d+)\s+ans?"
                           r"|(?:étions|étaient|avions\s+été)\s+réuni)", I)
# Where the words naming a venue stop: the date, or a word starting another phrase.
VENUE_END = re.compile(r"\s+[-–—]\s*|\s+(?:(?:le|les|du|dès|depuis)\s+(?:\d|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|premier)"
                       r"|(?:la|le|les|l')\s*(?:première|premier|deuxième|seconde|troisième|\w+ième|\d+e|\d+ème|réunion|rencontre|club|séance)\b"
                       r"|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b|\d|(?:et|pour|avec|sur|en|lors|afin|puis|dans|à|au|où|sous)\s)", I)
# The date a document was written or sent, not the meeting's: e-mail and memo headers.
DOCUMENT_DATE = re.compile(r"^[*_]*\s*(?:envoyé|sent|reçu|date\s+d'envoi|date\s+de\s+(?:rédaction|diffusion)|rédigé\s+le|diffusé\s+le)"
                           r"\s*[*_]*\s*:", I)
# A date right after a word naming the meeting ("réunion du 26/09", "séance du jeudi 3 octobre").
MEETING_DATED = re.compile(r"\b(?:réunion|séance|rencontre|club|comité(?:\s+de\s+pilotage)?|assemblée(?:\s+générale)?|atelier|webinaire"
                           r"|groupe\s+de\s+travail|journée|(?:s'est|se\s+sont)\s+(?:tenue?s?|déroulée?s?|réunie?s?))"
                           r"\s+(?:du|des|le|les|en\s+date\s+du)\s+(?P<rest>.+)$", I)
# "Strasbourg, 4 et 5 décembre 2024 — compte rendu": a town, then the date.
DATELINE = re.compile(r"^\s*(?P<town>[A-ZÉÈ][\w'’ -]{1,40}),\s+(?:le\s+|les\s+)?(?P<date>(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
                      r"\d{1,2}(?:er)?(?:\s+(?:et|au)\s+\d{1,2})?\s+\w+(?:\s+\d{4})?)")
# The meeting's particulars as "key : value" lines ("**Date :** mardi 21 mars 2023", "Lieu : Sète").
META_DATE = re.compile(r"^[*_]*\s*(?:date|dates|jour|quand)\s*[*_]*\s*:\s*[*_]*\s*(?P<value>.+)$", I)
META_HOST = re.compile(r"^[*_]*\s*(?:accueil(?:\s+et\s+\w+)?|hôte|accueilli\w*\s+par|hébergement|invitation)\s*[*_]*\s*:\s*[*_]*\s*(?P<value>.+)$", I)
META_PLACE = re.compile(r"^[*_]*\s*(?:lieu|adresse|où|localisation|salle)\s*[*_]*\s*:\s*[*_]*\s*(?P<value>.+)$", I)
# How the meeting was attended (schema:eventAttendanceMode).
ONLINE = re.compile(r"\b(?:à\s+distance|en\s+distanciel|sur\s+(?:BBB|BigBlueButton|Big\s+Blue\s+Button|Jitsi|Zoom|Teams|Webex|Visio)\b|(?:en|par)\s+visio\w*(?:[- ]?conférences?)?|visio-?conférences?|webinaires?|webinars?"
                    r"|(?:s'est\s+(?:tenue?|déroulée?)|a\s+eu\s+lieu|se\s+tiendra|aura\s+lieu|organisée?)\s+(?:\w+\s+){0,3}?en\s+ligne)\b", I)
OFFLINE = re.compile(r"\b(?:en\s+présentiel|sur\s+place|dans\s+les\s+locaux|en\s+salle|physiquement|en\s+personne)\b", I)
MIXED = re.compile(r"\b(?:hybride|en\s+(?:mode\s+|format\s+)?mixte|en\s+présentiel\s+(?:et|ou)\s+(?:à\s+distance|en\s+visio\w*|en\s+ligne)"
                   r"|(?:à\s+distance|en\s+visio\w*|en\s+ligne)\s+(?:et|ou)\s+en\s+présentiel)\b", I)
# An occasion that is a gathering in a place: the meeting was held there, in person.
PHYSICAL_OCCASION = re.compile(r"^(?:(?:grand\s+)?salon|congrès|foire|assises|exposition|journées?\s+(?:nationales?|régionales?))\b", I)

# A participant's statement that asks for something.
STATEMENT_REQUEST = re.compile(r"\b(?:souhait\w*|aimerai\w*|voudrai\w*|besoin|demande\w*|manque\w*|nécessité|attend(?:ent)? (?:une?|des))\b", I)
# "Body (First Last, First Last)" headings and "Body, First Last, First Last : text" bullets.
PARTICIPANT_HEADING = re.compile(r"^(?P<body>.+?)\s*\((?P<people>[^()]+)\)\s*:?$")
# "Pour la Ville de Rouen, le besoin principal est …", "À Nancy, le portail ouvrira …"
PREPOSITION_LEAD = re.compile(r"^(?:pour|à|a|chez|côté|du côté de|concernant)\s+(?P<who>[^,:]{2,80}?)\s*,\s*(?P<text>.+)$", I)
PARTICIPANT_ITEM = re.compile(r"^(?P<who>[^:]{2,160}?)\s*:\s*(?P<text>.+)$")
# A paragraph led by an emphasized name, like a bullet: "**Body (First Last)** : text".
# Public bodies the official lists of collectivities do not hold (named as written, with the
# territory in their name: "CCAS de Rouen", "SDIS 13", "Centre de gestion du Rhône").
OTHER_BODY = re.compile(r"^(?:CCAS|CIAS|SDIS|CDG|CAF|OPH|GIP|EPT|PETR|SIVU|SIVOM|SMICTOM|SIAAP"
                        r"|(?i:centre\s+(?:communal|intercommunal)\s+d'action\s+sociale|centre\s+de\s+gestion"
                        r"|service\s+départemental\s+d'incendie|syndicat|office\s+(?:de\s+tourisme|public\s+de\s+l'habitat)"
                        r"|caisse\s+d'allocations\s+familiales|pôle\s+métropolitain|parc\s+naturel\s+régional"
                        r"|groupement\s+d'intérêt\s+public|établissement\s+public))\b")
# A body the official lists do not hold, named with its kind in apposition: "un syndicat
# informatique, le SIIM94", "SICTIAM (syndicat mixte, Alpes-Maritimes)", "ADULLACT, l'association
# des développeurs…", or with a company's legal form: "Libriciel SCOP", "Axians SAS".
_KIND = (r"(?i:syndicats?|associations?|GIP|groupements?\s+d'intérêt\s+public|établissements?\s+publics?|agences?"
         r"|opérateurs?|sociétés?|entreprises?|coopératives?|éditeurs?|prestataires?|fédérations?|réseaux?"
         r"|délégataires?|intégrateurs?)")
_ACRONYM_NAME = r"(?P<name>[A-Z][A-Z0-9]{1,15}(?:-[A-Z0-9]{1,15}){0,3})"
NAMED_BY_KIND = [
    re.compile(rf"\b{_KIND}\b[^,.;:()]{{0,40}},\s+(?:le|la|les|l')\s*{_ACRONYM_NAME}(?![\w'’-])"),
    re.compile(rf"(?<![\w'’-]){_ACRONYM_NAME}\s*(?:\(\s*|,\s+(?:un|une|le|la|l')?\s*|\s+[-–—]\s+){_KIND}\b"),
    re.compile(r"(?<![\w'’-])(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2}\s+(?:SCOP|SAS|SARL|SASU|SCIC|SEM|SPL|SA))(?![\w'’-])"),
]
EMPHASIS_LEAD = re.compile(r"^(\*\*|__|\*|_)(?P<who>[^*_:]{2,160}?)\s*(?::\s*\1|\1\s*:)\s*(?P<text>.+)$")
# Who attended, as a list: "Étaient présents : Montreuil, Rouen et la CAPI."
ATTENDANCE = re.compile(r"^(?:(?:étaient|sont)\s+(?:présents?|présentes?|représentée?s)|présents|participants"
                        r"|(?:collectivités|organismes|structures|personnes)\s+(?:présentes|représentées))\s*:\s*(?P<list>.*)$", I)
# A heading over the list of attendees: "Participants", "Liste des présents", "Étaient présents".
ATTENDANCE_HEADING = re.compile(r"^(?:liste\s+(?:des|de)\s+)?(?:participants?|présents?|présences?|participation"
                                r"|(?:étaient|sont|personnes|collectivités|organismes|structures)\s+(?:présente?s?|représentée?s?))"
                                r"(?:\s+présents)?\s*(?:\([^)]*\))?\s*:?$", I)
# A section whose bullets are requests even without a lead-in sentence.
REQUEST_SECTION = re.compile(r"\b(?:demandes?|souhaits?|besoins?|roadmap|feuille de route|attentes?)\b", I)
