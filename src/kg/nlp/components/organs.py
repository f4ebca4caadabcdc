"""Finds organ mentions and resolves each to an organ type and jurisdiction."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.grammar import read_organ
from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, state_of

__all__ = ["OrganFinder"]


class OrganFinder:
    """Reads every organ form; mentions go to ``doc.spans["organs"]`` and the article state."""

    def __init__(self, nlp: Language, name: str, *, lexicon: Lexicon) -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        spans = []
        inside_roles = _inside_role_titles(state)
        read_to = 0
        for i in sorted(i for i, tags in state.tags.items() if any(t.kind == "ORGAN" for t in tags)):
            tag = state.tag(i, "ORGAN")
            if i < read_to or tag is None or inside_roles.get(i, -1) >= tag.end or _inside_symbol(doc, i):
                continue
            role = state.tag(i, "ROLE")
            if role is not None and role.end > tag.end:
                continue  # "Thường trực Ban Bí thư" is a role; the organ in it is read next
            organ, end = read_organ(doc, state, i, self.lexicon)
            if organ is not None:
                state.organ_spans.append((i, end, organ))
                spans.append(doc[i:end])
                state.extraction.organs.append(organ)
                if organ.parent is not None and organ.organ_type in self.lexicon.parent_mentioned:
                    # "Thường trực Ủy ban MTTQ xã" mentions the Front as well as its standing board.
                    state.extraction.organs.append(organ.parent)
            read_to = max(end, i + 1)
        doc.spans["organs"] = spans
        title_end = state.sentences[0].end if state.sentences else len(doc)
        in_title = [o for start, _, o in state.organ_spans if start < title_end]
        candidates = in_title or [o for _, _, o in state.organ_spans]
        state.context.principal = candidates[0] if candidates else None
        return doc


def _inside_role_titles(state: ArticleState) -> dict[int, int]:
    """Tokens inside a role title, with the title's end: "Thường trực" in "Phó Bí thư
    Thường trực Quận ủy" is part of the role, not the standing board."""
    inside: dict[int, int] = {}
    for tags in state.tags.values():
        for tag in tags:
            if tag.kind == "ROLE":
                for i in range(tag.start + 1, tag.end):
                    inside[i] = max(inside.get(i, 0), tag.end)
    return inside


def _inside_symbol(doc: Doc, i: int) -> bool:
    """ "UBND" in "1234/QĐ-UBND" is an issuer code, not a mention."""
    if i < 2:
        return False
    glue = doc[i - 1]
    return glue.text in {"-", "/"} and not glue.whitespace_ and not doc[i - 2].whitespace_
