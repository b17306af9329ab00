"""Synthetic club meeting reports, for scale benchmarks.

    python bench/gen.py --meetings 100 --out /tmp/reports [--seed 1]

Writes one report per meeting, rotating through the layouts the club's reports use:
Markdown with "Body (First Last)" headings, Markdown with "Body, First Last : …"
bullets, and plain text with organization cards ("Descriptif (ouverture en …)",
"Évolutions envisagées"). Bodies are real collectivities drawn from the bundled official
data (the 400 most populous communes and the EPCI), topics and tools from the SKOS
schemes; people are drawn from a fixed list of names. Deterministic for a given seed.
The same bodies and people come back across meetings, as in the real club.
"""
from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

from publik_kg.gazetteer import load as load_gazetteer
from publik_kg.vocab import lexicons

FIRST = ["Claire", "Julien", "Sophie", "Marc", "Nadia", "Thomas", "Élise", "Karim", "Anne", "Luc",
         "Camille", "Hugo", "Inès", "Paul", "Léa", "Yann", "Chloé", "Rémi", "Sarah", "Nicolas"]
LAST = ["Morel", "Petit", "Garnier", "Lefèvre", "Roux", "Fontaine", "Mercier", "Blanc", "Guérin",
        "Faure", "Chevalier", "Robin", "Masson", "Lambert", "Bonnet", "Dupuis", "Perrin", "Marchand"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
WISHES = ["pouvoir {t} depuis le back-office", "un module de {t} pour les agents",
          "améliorer la {t} des démarches", "disposer d'outils de {t}"]
ANSWERS = ["c'est prévu pour la prochaine version.", "ce n'est pas prévu à court terme.",
           "des réflexions sont en cours.", "c'est déjà possible, une documentation sera publiée."]


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        gaz = load_gazetteer()
        bodies = [b for lst in gaz.by_name.values() for b in lst]
        communes = sorted({b for b in bodies if b.kind == "commune"}, key=lambda b: -b.population)[:400]
        epcis = sorted({b for b in bodies if b.kind == "epci" and b.subkind in ("metropole", "communaute-urbaine")},
                       key=lambda b: b.name)
        self.bodies = [("Ville de " + b.name if self.rng.random() < 0.5 else b.name) for b in communes] \
            + [b.name for b in epcis]
        lex = lexicons()
        # "signature électronique / parapheur" → "signature électronique"
        self.topics = [label.lower().split(" / ")[0].split(" et ")[0] for c, labels in sorted(lex.topics.labels.items())
                       for label, kind in labels if kind == "pref"]
        self.tools = sorted(lex.tools.pref.values())
        self.people = {b: [f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}" for _ in range(2)] for b in self.bodies}

    def _wish(self) -> str:
        return self.rng.choice(WISHES).format(t=self.rng.choice(self.topics))

    def _answer(self) -> str:
        return f"Réponse d'Entr'ouvert : {self.rng.choice(ANSWERS)}"

    def report(self, k: int) -> tuple[str, str]:
        """(file name, text) of meeting k (0-based): one meeting a week from June 2016."""
        day = date(2016, 6, 2) + timedelta(weeks=k)
        when = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        present = self.rng.sample(self.bodies, self.rng.randint(3, 8))
        host = present[0]
        intro = (f"La {k + 1}e réunion du Club des utilisateurs Publik s'est tenue le {when}, "
                 f"à l'invitation de {host}.")
        layout = k % 3
        lines = []
        if layout == 0:
            lines += ["# Club des utilisateurs Publik — compte rendu", "", intro, "", "## Tour de table", ""]
            for b in present:
                person = self.rng.choice(self.people[b])
                lines += [f"## {b} ({person})", "",
                          f"Utilise {self.rng.choice(self.tools)} depuis {day.year - 1} ; souhaiterait {self._wish()}.",
                          self._answer(), ""]
        elif layout == 1:
            lines += ["# Compte rendu de réunion", "", intro, "", "## Participants", ""]
            for b in present:
                lines.append(f"- {b}, {', '.join(self.people[b])} : utilise {self.rng.choice(self.tools)} ; "
                             f"besoin de {self._wish()}.")
            lines += ["", "## Demandes", "", f"Demande des participants : {self._wish()}.", self._answer(), ""]
        else:
            lines += ["Compte rendu du Club des utilisateurs Publik", "", intro, "", "Tour de table", ""]
            for b in present:
                lines += [b, "", f"Descriptif (ouverture en {MONTHS[self.rng.randrange(12)]} {day.year - 1}) :",
                          f"- Démarches en ligne avec {self.rng.choice(self.tools)}", "",
                          "Évolutions envisagées :", f"- {self._wish().capitalize()}", ""]
        return f"{day.isoformat()}-club-publik-{k + 1}.{'txt' if layout == 2 else 'md'}", "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 1) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    paths = []
    for k in range(n):
        name, text = gen.report(k)
        (out / name).write_text(text, encoding="utf-8")
        paths.append(out / name)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=10)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(f"{len(generate(args.meetings, args.out, args.seed))} reports in {args.out}")


if __name__ == "__main__":
    main()
