"""The pieces of the pipeline: tokenizer, lexicon, gazetteer, config."""

import pytest

from kg.config import get_settings
from kg.nlp.components.congresses import roman_to_int
from kg.nlp.gazetteer import Gazetteer, Unit, era_of, load_gazetteer
from kg.nlp.lexicon import load_lexicon
from kg.nlp.pipeline import build_pipeline, load_pipeline


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Phạm Thanh Học- Phó Trưởng ban", ["Phạm", "Thanh", "Học", "-", "Phó", "Trưởng", "ban"]),
        ("Thành ủy; “Tuyên truyền”.", ["Thành", "ủy", ";", "“", "Tuyên", "truyền", "”", "."]),
        ("Sáng 29/2, nhiệm kỳ 2020 -2025", ["Sáng", "29/2", ",", "nhiệm", "kỳ", "2020", "-", "2025"]),
    ],
)
def test_syllable_tokenizer(text, tokens):
    assert [t.text for t in load_pipeline().make_doc(text)] == tokens


def test_lexicon_comes_from_the_code_lists():
    lexicon = load_lexicon()
    assert lexicon.organ_forms["quận ủy"] == "party-committee"
    assert lexicon.organ_forms["ubmttq"] == "fatherland-front"
    assert lexicon.role_forms["phó bí thư thường trực"] == "standing-deputy-secretary"
    assert lexicon.document_forms["chương trình hành động"] == "program"
    assert lexicon.symbol_codes["NQ"] == "resolution"
    assert lexicon.meeting_kind_forms["sơ kết"] == "review"
    assert lexicon.level_forms["thị xã"] == "district"


@pytest.mark.parametrize(
    ("numeral", "value"), [("IV", 4), ("XVII", 17), ("XXVIII", 28), ("XIII", 13), ("12", 12)]
)
def test_roman_numerals(numeral, value):
    assert roman_to_int(numeral) == value


def test_gazetteer_knows_both_eras():
    gazetteer = load_gazetteer(get_settings().gazetteer)
    before = gazetteer.find("Sài Đồng", level="ward")
    assert before is not None and gazetteer.parent(before).name == "Long Biên"
    assert before.code_list_version == "vietnam-provinces 0.5.0"
    after = gazetteer.find("Hoàn Kiếm", level="ward", era="post-2025")
    assert after is not None and after.era == "post-2025"
    assert gazetteer.parent(after).name == "Hà Nội"


def test_gazetteer_resolves_ambiguous_names_only_in_context():
    city = Unit("Hà Nam", "province", "35", "pre-2025")
    district = Unit("Kim Bảng", "district", "349", "pre-2025", "pre-2025:35")
    a = Unit("Tân Sơn", "commune", "13321", "pre-2025", "pre-2025:349")
    b = Unit("Tân Sơn", "commune", "99999", "pre-2025", None)
    gazetteer = Gazetteer([city, district, a, b])
    assert gazetteer.find("Tân Sơn") is None
    assert gazetteer.find("Tân Sơn", within=(district,)) == a


def test_era_follows_the_reform_date():
    from datetime import date

    assert era_of(date(2025, 6, 30)) == "pre-2025"
    assert era_of(date(2025, 7, 1)) == "post-2025"
    assert era_of(None) == "pre-2025"


def test_pipeline_config_round_trips():
    nlp = build_pipeline()
    rebuilt = build_pipeline.__wrapped__() if hasattr(build_pipeline, "__wrapped__") else build_pipeline()
    assert nlp.pipe_names == rebuilt.pipe_names
    assert nlp.config.to_str() == rebuilt.config.to_str()
    assert "kg_organs_v2" in nlp.config.to_str()


def test_pipeline_reads_the_gazetteer_it_is_given(tmp_path):
    nlp = build_pipeline(tmp_path / "none.json")
    assert nlp.config["components"]["article_context"]["gazetteer"]["path"].endswith("none.json")
    assert len(nlp.get_pipe("article_context").gazetteer) == 0  # a missing file: places from the text


def test_every_component_declares_what_it_reads_and_writes():
    nlp = build_pipeline()
    for name in nlp.pipe_names:
        meta = nlp.get_pipe_meta(name)
        assert meta.assigns, name
    assert "doc._.kg" in nlp.get_pipe_meta("organs").requires


def test_extract_all_reports_a_failing_article_in_its_place():
    from spacy.language import Language

    from kg.articles import Article
    from kg.errors import ExtractionError
    from kg.nlp.pipeline import extract_all

    if "kg_test_fails_on_marker" not in Language.factories:

        @Language.component("kg_test_fails_on_marker")
        def fails_on_marker(doc):  # the failure a bug in a real component would cause
            if "hỏng" in doc.text:
                raise ValueError("boom")
            return doc

    nlp = build_pipeline()
    nlp.add_pipe("kg_test_fails_on_marker", last=True)
    articles = [
        Article(f"{n}.txt", title, "Huyện ủy Ba Vì họp.")
        for n, title in enumerate(["Tin", "Bài hỏng", "Tin"])
    ]
    results = list(extract_all(articles, nlp))
    assert [a.identifier for a, _ in results] == ["0.txt", "1.txt", "2.txt"]
    assert [isinstance(r, ExtractionError) for _, r in results] == [False, True, False]
