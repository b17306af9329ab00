"""Check an annotation (tests/data/real/ANNOTATIONS.md) against a graph, as its section
"How an annotation is checked against a graph" says.

**The meeting** is the ``schema:Event`` carrying the annotation's date as an ``xsd:date``;
its end date and rank are literals of that node; its venue is a ``schema:location``, its
host and vendor ``schema:organizer``s; online is a ``schema:eventAttendanceMode`` (or a
``schema:VirtualLocation``). Organizations, people, tools and requests are found by label
or text and must be linked to the meeting (graph/labelled_graph.py says how). Each
annotated item is a true positive or a false negative; each extracted item of a kind
linked to the meeting that satisfies no annotated item is a false positive.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import DCTERMS, SKOS

from .labelled_graph import (DATES, DOCUMENT, MAX_REQUEST_LITERAL, ONLINE_MODES, OFFLINE_MODES, ORGANIZATION,
                             PERSON, SCHEMA, TOOL_CLASS, View, norm, stance_matches)

# -- the checks ------------------------------------------------------------------------

KINDS = ("date", "meeting", "organizations", "people", "tools", "requests", "answers")


@dataclass
class Finding:
    """A false negative (an annotated item the graph lacks) or a false positive (a graph
    node of that kind that matches no annotated item)."""

    kind: str
    item: str
    reason: str
    node: str | None = None
    line: int | None = None
    line_source: str = ""    # "graph" (its provenance) or "text" (where its words appear)


@dataclass
class Tally:
    tp: int = 0          # annotated items found
    fn: int = 0          # annotated items not found
    tp_graph: int = 0    # extracted items that match an annotated one
    fp: int = 0          # extracted items that match none


@dataclass
class Checked:
    meeting: str | None
    tallies: dict = field(default_factory=lambda: {k: Tally() for k in KINDS})
    false_negatives: list = field(default_factory=list)
    false_positives: list = field(default_factory=list)
    must_not: list = field(default_factory=list)


class Checker:
    """One annotation against one graph."""

    def __init__(self, annotation: dict, view: View):
        self.a = annotation
        self.v = view
        self.meeting_entry = annotation["meeting"]
        found = view.events_dated(self.meeting_entry["date"])
        self.m = max(found, key=lambda n: len(view.out.get(n, ())), default=None)
        # the graph's own meeting, for what it claims when the annotated date is missing
        tops = [n for n in view.types if view.dated_event(n) and not view.objects_via(n, SCHEMA.superEvent)
                and view.objects_via(n, SCHEMA.subEvent) | view.objects_via(n, SCHEMA.organizer)]
        self.main = self.m or max(tops, key=lambda n: len(view.out.get(n, ())), default=None)
        self.near = view.reach(self.m) if self.m is not None else set()
        self.near_main = view.reach(self.main) if self.main is not None else set()
        self.orgs = {o["label"]: o for o in annotation.get("organizations", [])}
        self.out = Checked(str(self.m) if self.m is not None else None)

    # -- bookkeeping ---------------------------------------------------------------

    def hit(self, kind: str) -> None:
        self.out.tallies[kind].tp += 1
        if kind in ("date", "meeting"):          # a value the graph asserts, and rightly
            self.out.tallies[kind].tp_graph += 1

    def miss(self, kind: str, item: str, reason: str) -> None:
        self.out.tallies[kind].fn += 1
        self.out.false_negatives.append(Finding(kind, item, reason))

    def wrong(self, kind: str, item: str, reason: str, node=None) -> None:
        self.out.tallies[kind].fp += 1
        self.out.false_positives.append(Finding(kind, item, reason, None if node is None else str(node),
                                                None if node is None else self.v.line(node)))

    def score(self, kind: str, population: set, matched: set) -> None:
        t = self.out.tallies[kind]
        for node in sorted(population):
            if node in matched:
                t.tp_graph += 1
            else:
                self.wrong(kind, self.v.label_of(node), "matches no annotated item", node)

    def org_nodes(self, label: str | None) -> set:
        """Organization nodes of the organizations entry labelled ``label`` (by its label or
        canonical name), or of that name when no entry has it."""
        entry = self.orgs.get(label or "", {"label": label})
        return {n for n in self.v.labelled(entry.get("label"), entry.get("canonical_name"))
                if self.v.is_any(n, ORGANIZATION)}

    def run(self) -> Checked:
        self.date()
        self.fields()
        orgs = self.organizations()
        self.people(orgs)
        self.tools(orgs)
        self.requests()
        self.must_not()
        return self.out

    # -- meeting -------------------------------------------------------------------

    def date(self) -> None:
        e, v = self.meeting_entry, self.v
        if self.m is not None:
            self.hit("date")
        else:
            self.miss("date", f"date {e['date']}", "no schema:Event carries this xsd:date")
            if self.main is not None:
                for d in sorted(v.dates(self.main, DATES)):
                    self.wrong("date", f"date {d}", "the graph's meeting is dated so", self.main)
        if "end_date" not in e or self.m is None:
            if e.get("end_date") and self.m is None:
                self.miss("date", f"end_date {e['end_date']}", "no meeting found")
            return
        others = v.dates(self.m) - {e["date"]}
        if e["end_date"]:
            (self.hit if e["end_date"] in others else lambda k: self.miss(k, f"end_date {e['end_date']}",
                                                                          "not a literal of the meeting"))("date")
        for d in sorted(others - {e["end_date"]}):
            self.wrong("date", f"end_date {d}", "another xsd:date on the meeting", self.m)

    def fields(self) -> None:
        e, v, m = self.meeting_entry, self.v, self.m
        if "rank" in e:
            ranks = v.integers(m) if m is not None else set()
            if e["rank"] is not None:
                if e["rank"] in ranks:
                    self.hit("meeting")
                else:
                    self.miss("meeting", f"rank {e['rank']}", "not an integer literal of the meeting")
            for r in sorted(ranks - {e["rank"]}):
                self.wrong("meeting", f"rank {r}", "another integer on the meeting", m)
        locations = v.objects_via(m, SCHEMA.location) if m is not None else set()
        if "online" in e:
            self.online(e["online"], locations)
        venue, city = e.get("venue"), e.get("city")
        if "venue" in e:
            if venue:
                if any(norm(venue) in v.labels.get(n, ()) for n in locations):
                    self.hit("meeting")
                else:
                    self.miss("meeting", f"venue {venue}", "no schema:location of the meeting is labelled so")
            for n in sorted(locations):
                if not v.labels.get(n, set()) & {norm(x) for x in (venue, city) if x}:
                    self.wrong("meeting", f"venue {v.label_of(n)}", "a location the annotation does not give", n)
        if "city" in e and city:
            around = set(locations).union(*(v.out.get(n, set()) for n in locations)) if locations else set()
            if any(norm(city) in v.labels.get(n, ()) for n in around):
                self.hit("meeting")
            else:
                self.miss("meeting", f"city {city}", "no location of the meeting (or its city) is labelled so")
        organizers = v.objects_via(m, SCHEMA.organizer) if m is not None else set()
        explained = set()
        for key in ("host", "vendor"):
            if key in e and e[key]:
                nodes = self.org_nodes(e[key]) & organizers
                explained |= nodes
                if nodes:
                    self.hit("meeting")
                else:
                    self.miss("meeting", f"{key} {e[key]}", "not a schema:organizer of the meeting")
        if "host" in e:
            for n in sorted(organizers - explained):
                self.wrong("meeting", f"organizer {v.label_of(n)}", "an organizer the annotation does not give", n)

    def online(self, value, locations: set) -> None:
        v, m = self.v, self.m
        modes = v.objects_via(m, SCHEMA.eventAttendanceMode) if m is not None else set()
        virtual = {n for n in locations if v.is_any(n, {SCHEMA.VirtualLocation})}
        online = bool(modes & ONLINE_MODES or virtual)
        offline = bool(modes & OFFLINE_MODES) or any(v.is_any(n, {SCHEMA.Place}) for n in locations - virtual)
        if value is True:
            (self.hit("meeting") if online else
             self.miss("meeting", "online", "no online attendance mode nor virtual location"))
            if offline and modes & OFFLINE_MODES:
                self.wrong("meeting", "offline", "the meeting's attendance mode is offline", m)
        elif value is False:
            (self.hit("meeting") if offline else
             self.miss("meeting", "in person", "no offline attendance mode nor physical venue"))
            if online:
                self.wrong("meeting", "online", "the meeting is marked online", m)
        elif modes:
            self.wrong("meeting", "attendance mode", "the text does not say whether it was online", m)

    # -- organizations, people, tools ------------------------------------------------

    def organizations(self) -> dict:
        """Check every entry; returns label → the nodes that satisfy it."""
        v, satisfied = self.v, {}
        for o in self.a.get("organizations", []):
            names = [x for x in (o.get("label"), o.get("canonical_name")) if x]
            found = v.labelled(*names)
            typed = {n for n in found if v.is_any(n, ORGANIZATION)}
            code = o.get("insee") or o.get("siren")
            coded = {n for n in typed if not code or code in v.plain_literals(n)}
            good = {n for n in coded if o.get("role") == "mentioned" or n in self.near}
            satisfied[o["label"]] = good
            if good:
                self.hit("organizations")
                continue
            reason = ("no node labelled so" if not found else "labelled, but not typed as an organization"
                      if not typed else f"no literal {code} on it" if not coded else "not linked to the meeting")
            self.miss("organizations", " / ".join(dict.fromkeys(names)), reason)
        mentioned = set().union(*(satisfied[o["label"]] for o in self.a.get("organizations", [])
                                  if o.get("role") == "mentioned"))
        self.at_meeting = {n for n in self.near if v.is_any(n, ORGANIZATION)} - mentioned
        population = {n for n in self.near_main if v.is_any(n, ORGANIZATION)}
        self.score("organizations", population, set().union(*satisfied.values()))
        return satisfied

    def people(self, orgs: dict) -> None:
        v, matched = self.v, set()
        for p in self.a.get("people", []):
            named = {n for n in v.labelled(p["name"]) if v.is_any(n, PERSON)}
            org = self.org_nodes(p.get("organization")) if p.get("organization") else set()
            good = {n for n in named if n in self.near or any(v.linked(n, o, self.m) for o in org)}
            matched |= good
            if good:
                self.hit("people")
            else:
                self.miss("people", p["name"], "no person of that name" if not named
                          else "not linked to their organization nor to the meeting")
        around = set(self.near_main).union(*(v.reach(o, self.main) for o in self.near_main
                                             if v.is_any(o, ORGANIZATION)))
        self.score("people", {n for n in around if v.is_any(n, PERSON)}, matched)

    def tools(self, orgs: dict) -> None:
        v, matched = self.v, set()
        around = set(self.near).union(*(v.reach(o, self.m) for o in self.at_meeting))
        for name in self.a.get("tools", []):
            named = v.labelled(name)
            good = named & around
            matched |= good
            if good:
                self.hit("tools")
            else:
                self.miss("tools", name, "no node labelled so" if not named
                          else "not linked to the meeting nor to one of its organizations")
        main_orgs = {n for n in self.near_main if v.is_any(n, ORGANIZATION)} - (set().union(*orgs.values()) - self.at_meeting)
        around_main = set(self.near_main).union(*(v.reach(o, self.main) for o in main_orgs))
        self.score("tools", {n for n in around_main if v.is_any(n, {TOOL_CLASS})}, matched)

    # -- requests and answers --------------------------------------------------------

    def raisers(self, name: str) -> set | None:
        """Nodes of the entry ``name`` names; None when it names none (a group)."""
        if name in self.orgs:
            return self.org_nodes(name)
        if any(p["name"] == name for p in self.a.get("people", [])):
            return {n for n in self.v.labelled(name) if self.v.is_any(n, PERSON)}
        return None

    def with_fragment(self, fragment: str) -> set:
        """Typed nodes, not documents, with a literal shorter than 1,500 characters that
        contains the fragment."""
        v, f = self.v, norm(fragment)
        return {n for n in v.types if not v.is_any(n, DOCUMENT)
                and any(f in norm(t) for t in v.texts(n, MAX_REQUEST_LITERAL))}

    def requests(self) -> None:
        v, matched, answered = self.v, set(), set()
        stance_pairs = set()
        for r in self.a.get("requests", []):
            item = r.get("fragment") or r["text"][:60]
            found = self.with_fragment(r.get("fragment") or r["text"])
            linked = found & self.near
            raisers = self.raisers(r.get("raised_by", ""))
            raised = {n for n in linked if raisers is None or any(v.linked(n, x, self.m) for x in raisers)}
            ans = r.get("answer") or {}
            good = raised
            if ans.get("fragment"):
                f = norm(ans["fragment"])
                good = {n for n in raised if any(f in norm(t) for x in {n} | v.reach(n, self.m) for t in v.texts(x))}
            matched |= good
            if good:
                self.hit("requests")
            else:
                self.miss("requests", item, "no typed node with that text" if not found else
                          "not linked to the meeting" if not linked else
                          f"not linked to its raiser {r['raised_by']}" if not raised else
                          f"answer '{ans['fragment']}' not on it nor on a node linked to it")
            if ans.get("stance"):
                self.answer(item, ans["stance"], linked, stance_pairs, answered)
        population = {n for n in self.near_main if v.is_any(n, self.v.request_classes)}
        self.score("requests", population, matched)
        for req in sorted(population):
            for c in sorted(v.reach(req, self.main)):
                if v.is_any(c, v.stance_classes) and (req, c) not in answered:
                    self.wrong("answers", f"{v.label_of(req)[:60]} → {v.label_of(c)}", "a stance the annotation does not give", req)
                elif (req, c) in answered:
                    self.out.tallies["answers"].tp_graph += 1

    def answer(self, item: str, stance: str, nodes: set, pairs: set, answered: set) -> None:
        v = self.v
        wanted = [s.strip() for s in stance.split(",") if s.strip()]
        for n in sorted(nodes, key=lambda x: (not v.is_any(x, v.request_classes), str(x))):   # one order, whatever the hash seed
            concepts = [c for c in v.reach(n, self.m) if v.is_any(c, v.stance_classes | {SKOS.Concept})]
            hits = {c for c in concepts if any(stance_matches(v, c, s) for s in wanted)}
            if all(any(stance_matches(v, c, s) for c in hits) for s in wanted):
                answered |= {(n, c) for c in hits}
                self.hit("answers")
                return
        self.miss("answers", f"{item}: {stance}", "no request node linked to this stance")

    # -- must_not ------------------------------------------------------------------

    def must_not(self) -> None:
        for rule in self.a.get("must_not", []):
            check = rule.get("check", {})
            kind = check.get("kind")
            method = getattr(self, f"_mn_{kind}", None)
            if method is None:
                raise ValueError(f"unknown must_not check kind {kind!r}")
            offending = sorted(method(check), key=str)
            self.out.must_not.append({"kind": kind, "what": rule.get("what", ""), "violated": bool(offending),
                                      "nodes": [self.v.label_of(n) for n in offending],
                                      "lines": [x for x in (self.v.line(n) for n in offending) if x]})

    def _meeting(self):
        return self.m if self.m is not None else self.main

    def _mn_org_at_meeting(self, c) -> set:
        m = self._meeting()
        near = self.v.reach(m) if m is not None else set()
        return {n for n in self.v.labelled(*c["labels"]) & near if self.v.is_any(n, ORGANIZATION)}

    def _mn_venue(self, c) -> set:
        m = self._meeting()
        locations = self.v.objects_via(m, SCHEMA.location) if m is not None else set()
        return locations & self.v.labelled(c["label"])

    def _mn_code_on(self, c) -> set:
        return {n for n in self.v.labelled(c["label"]) if c["code"] in self.v.plain_literals(n)}

    def _mn_meeting_date(self, c) -> set:
        return set(self.v.events_dated(c["date"]))

    def _mn_request_topic(self, c) -> set:
        v, topic = self.v, norm(c["topic"])
        out = set()
        for n in self.with_fragment(c["fragment"]):
            for t in v.objects_via(n, SCHEMA.about) | v.objects_via(n, DCTERMS.subject):
                if v.is_any(t, {SKOS.Concept}) and not v.is_any(t, {TOOL_CLASS}) \
                        and any(topic in lab for lab in v.labels.get(t, ())):
                    out.add(n)
        return out

    def _mn_meeting_in_period(self, c) -> set:
        v, lo, hi = self.v, c["from"], c["to"]
        year, words = lo[:4], [norm(w) for w in c.get("words", [])]
        out = set()
        for n in v.types:
            if not v.is_any(n, {SCHEMA.Event}):
                continue
            for d in v.dates(n, DATES):
                if len(d) >= 7 and lo <= d[:7] <= hi:
                    out.add(n)
                elif d == year and any(w in norm(t) for t in v.texts(n) for w in words):
                    out.add(n)
        return out

    def _mn_separate_person(self, c) -> set:
        v, same = self.v, norm(c["same_as"])
        return {n for n in v.labelled(c["label"]) if v.is_any(n, PERSON) and same not in v.labels.get(n, ())}


def check(annotation: dict, graph: Graph, ontology: Graph) -> Checked:
    """Check one annotation against a graph (the union of a dataset's graphs)."""
    return Checker(annotation, View(graph, ontology)).run()
