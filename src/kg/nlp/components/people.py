"""Finds people and the positions the article says they hold.

Three shapes: a cue and a name then roles ("đồng chí Hà Minh Hải, TUV, Bí
thư Quận ủy"), roles then a name ("Phó Chủ tịch UBND quận Đinh Thị Thu
Hương"), and a bare name then roles ("Nguyễn Văn An - Bí thư Huyện ủy").
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.grammar import (
    SEPARATORS,
    RoleReading,
    after_role_verbs,
    read_name,
    read_roles,
    skip_separators,
    skip_term_qualifier,
)
from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, Sentence, state_of
from kg.records import PersonRef, PositionHolding

__all__ = ["PeopleFinder"]

_MAX_GROUP = 30  # members read after one group heading


class PeopleFinder:
    """People in ``doc.spans["people"]``; people and holdings in the article state."""

    def __init__(self, nlp: Language, name: str, *, lexicon: Lexicon) -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        spans: list[Span] = []
        # A person starts at a cue, a role or a family name: look only there.
        starts = sorted(state.tags)
        sentences = state.sentences
        s, position = 0, 0
        for i in starts:
            if i < position:
                continue
            while sentences[s].end <= i:
                s += 1
            position = self._read_at(doc, state, sentences[s], i, spans)
        doc.spans["people"] = spans
        return doc

    def _read_at(self, doc: Doc, state: ArticleState, sentence: Sentence, i: int, spans: list[Span]) -> int:
        """Read a person starting at token ``i``; return where to continue."""
        cue = state.tag(i, "CUE")
        strong = cue is not None and cue.form in self.lexicon.strong_cues
        after_mark = i > 0 and doc[i - 1].text in self.lexicon.cue_after
        if cue is not None and (strong or doc[i].is_lower or i == sentence.start or after_mark):
            start = cue.end + 1 if cue.end < len(doc) and doc[cue.end].text == ":" else cue.end
            end = read_name(doc, state, start, self.lexicon, need_surname=not strong)
            if end is None:
                return cue.end
            shared = self._names_sharing_roles(doc, state, sentence, start, end, spans)
            if shared is not None:
                return shared
            return self._person_then_roles(doc, state, sentence, start, end, spans)
        if state.tag(i, "ROLE"):
            roles, end = read_roles(doc, state, i, self.lexicon)
            name_end = (
                read_name(doc, state, end, self.lexicon, need_surname=True) if end < sentence.end else None
            )
            if name_end is None:
                linked = self._linked_name(doc, state, end, sentence)
                if linked is not None:
                    self._record(doc, state, sentence, linked[0], linked[1], roles, spans)
                    return linked[1]
                members = self._group_members_at(doc, state, end, sentence)
                if members is not None and roles:
                    return self._read_group(doc, state, sentence, members, roles, spans)
                return max(end, i + 1)
            self._record(doc, state, sentence, end, name_end, roles, spans)
            return name_end
        if state.capitalized[i] and state.words[i] in self.lexicon.surnames:
            end = read_name(doc, state, i, self.lexicon, need_surname=True)
            if end is not None and (
                self._roles_follow(doc, state, end) or self._continues_list(doc, i, spans)
            ):
                return self._person_then_roles(doc, state, sentence, i, end, spans)
            return end or i + 1
        return i + 1

    def _linked_name(
        self, doc: Doc, state: ArticleState, j: int, sentence: Sentence
    ) -> tuple[int, int] | None:
        """The name that roles are said of through a link word: "miễn nhiệm chức vụ Phó Chủ tịch
        UBND tỉnh, nhiệm kỳ 2021 - 2026 đối với ông Lý Văn A"."""
        k = skip_separators(doc, skip_term_qualifier(doc, j, self.lexicon), sentence.end)
        k = skip_term_qualifier(doc, k, self.lexicon)
        for link in self.lexicon.role_name_links:
            width = len(link.split())
            if k + width < sentence.end and doc[k : k + width].text.lower() == link:
                start = k + width
                cue = state.tag(start, "CUE")
                start = cue.end if cue is not None else start
                end = read_name(doc, state, start, self.lexicon, need_surname=cue is None)
                return (start, end) if end is not None and end <= sentence.end else None
        return None

    def _names_sharing_roles(
        self, doc: Doc, state: ArticleState, sentence: Sentence, start: int, end: int, spans: list[Span]
    ) -> int | None:
        """ "Bà A, ông B và ông C được bầu làm Phó Chủ tịch UBND tỉnh": names joined by commas or
        "và", each with its cue, then an election verb and the roles they all take."""
        names = [(start, end)]
        k = end
        while (
            len(names) < _MAX_GROUP
            and k + 1 < sentence.end
            and doc[k].text.lower() in self.lexicon.list_joiners - {";"}
        ):
            cue = state.tag(k + 1, "CUE")
            name_end = read_name(doc, state, cue.end, self.lexicon, need_surname=True) if cue else None
            if cue is None or name_end is None:
                break
            names.append((cue.end, name_end))
            k = name_end
        if len(names) < 2:
            return None
        j = after_role_verbs(doc, state, k, self.lexicon)
        if j == k:
            return None
        roles, stop = read_roles(doc, state, j, self.lexicon)
        for name_start, name_end in names:
            self._record(doc, state, sentence, name_start, name_end, roles, spans)
        return max(stop, k)

    def _group_members_at(self, doc: Doc, state: ArticleState, j: int, sentence: Sentence) -> int | None:
        """Where the members of a group start after its roles: "Các Phó Bí thư Tỉnh ủy gồm: ông A
        - ...; bà B - ...", "2 Phó Chủ tịch là đồng chí A và đồng chí B"."""
        j = skip_term_qualifier(doc, j, self.lexicon)
        for marker in self.lexicon.group_markers:
            width = len(marker.split())
            if j + width <= sentence.end and doc[j : j + width].text.lower() == marker:
                k = j + width
                return k + 1 if k < sentence.end and doc[k].text == ":" else k
        return None

    def _read_group(
        self,
        doc: Doc,
        state: ArticleState,
        sentence: Sentence,
        j: int,
        roles: list[RoleReading],
        spans: list[Span],
    ) -> int:
        """Each member of a group gets the group's roles and the roles written after their name."""
        group_organ = next((r.organ for r in roles if r.organ is not None), None)
        for _ in range(_MAX_GROUP):
            cue = state.tag(j, "CUE")
            start = cue.end if cue is not None else j
            end = read_name(doc, state, start, self.lexicon, need_surname=cue is None)
            if end is None or end > sentence.end:
                break
            k = skip_separators(doc, end, sentence.end, extra=frozenset({"("}))
            own, stop = read_roles(doc, state, k, self.lexicon) if k < sentence.end else ([], k)
            # "Các Phó Bí thư Tỉnh ủy gồm: ông A - Phó Bí thư Thường trực": a member's own title
            # without an organ is in the group's, and is the more precise one.
            own = [replace(r, organ=group_organ) if r.organ is None else r for r in own]
            own_organs = {r.organ for r in own if r.organ is not None}
            shared = [r for r in roles if r.organ not in own_organs]
            self._record(doc, state, sentence, start, end, [*shared, *own], spans)
            j = max(stop, end)
            while j < sentence.end and doc[j].text.lower() in self.lexicon.list_joiners | {")"}:
                j += 1
        return j

    def _continues_list(self, doc: Doc, i: int, spans: list[Span]) -> bool:
        """ "các đồng chí: Nguyễn Văn An, Trần Bình và Lê Thị Chi": a name right after another
        person's entry, separated only by a comma, "và" or a semicolon."""
        if not spans or not 0 < i - spans[-1].end <= 12:
            return False
        return all(t.text.lower() in self.lexicon.list_joiners for t in doc[spans[-1].end : i])

    def _roles_follow(self, doc: Doc, state: ArticleState, end: int) -> bool:
        return (
            end + 1 < len(doc)
            and doc[end].text in SEPARATORS - {":"}
            and state.tag(end + 1, "ROLE") is not None
        )

    def _person_then_roles(
        self, doc: Doc, state: ArticleState, sentence: Sentence, start: int, end: int, spans: list[Span]
    ) -> int:
        j = skip_separators(doc, end, sentence.end, extra=frozenset({"("}))
        j = after_role_verbs(doc, state, j, self.lexicon)
        roles, stop = read_roles(doc, state, j, self.lexicon) if j < sentence.end else ([], j)
        self._record(doc, state, sentence, start, end, roles, spans)
        return max(stop, end)

    def _record(
        self,
        doc: Doc,
        state: ArticleState,
        sentence: Sentence,
        start: int,
        end: int,
        roles: list[RoleReading],
        spans: list[Span],
    ) -> None:
        name = doc[start:end].text
        person = PersonRef(name, state.context.region())
        spans.append(doc[start:end])
        extraction = state.extraction
        if person not in extraction.people:
            extraction.people.append(person)
        evidence = sentence.text.strip()
        for reading in roles:
            if reading.organ is None:
                continue
            holding = PositionHolding(person, reading.role, reading.organ, evidence)
            if all(
                (h.person, h.role, h.organ) != (person, reading.role, reading.organ)
                for h in extraction.holdings
            ):
                extraction.holdings.append(holding)
