"""Term extraction: candidates on each side, term alignment in aligned pairs, nested
terms, variants, the user's glossary, the reference search, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.model import Entry, InputError, Sentence
from aligner.names import romanises
from aligner.terms import (
    attest,
    build_glossary,
    chinese_candidates,
    english_spans,
    pair_view,
    pairs_from,
    segment_zh,
    tokens_en,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "terms"

# Small hand-made aligned pairs: policy terms, names, a set phrase, nested terms.
PAIRS: list[tuple[str, str]] = [
    ("双方同意构建建设性战略稳定关系。",
     "The two sides agreed to build a constructive relationship of strategic stability."),
    ("建设性战略稳定关系有利于两国。",
     "A constructive relationship of strategic stability benefits both countries."),
    ("战略稳定是双方的共同目标。", "Strategic stability is a shared goal of both sides."),
    ("维护全球战略稳定需要各方努力。",
     "Maintaining global strategic stability requires efforts from all parties."),
    ("二轨对话有望得到更多支持。", "Track II dialogues are expected to receive more support."),
    ("他们恢复了二轨对话。", "They resumed the Track II dialogue."),
    ("美国总统可能成为跛脚鸭。", "The U.S. president may become a lame duck."),
    ("双方同意加强建立信任措施。",
     "The two sides agreed to strengthen confidence-building measures."),
    ("他可能与赖清德通话。", "He might speak with Lai Ching-te."),
    ("习近平主席会见了外国客人。", "President Xi Jinping met foreign guests."),
]  # fmt: skip


@pytest.fixture(scope="module")
def glossary() -> dict[str, Entry]:
    return {e.zh: e for e in build_glossary(PAIRS)}


# ---------------------------------------------------------------- candidates


def test_segmentation_prefers_dictionary_words():
    words = [t.text for t in segment_zh("如重启中美军控与防扩散磋商")]
    assert "军控" in words and "防扩散" in words and "磋商" in words
    assert "美军" not in words  # jieba alone cuts 中 美军 控与


def test_numbers_in_several_words_are_one_token():
    words = [t.text for t in segment_zh("恢复相关一点五轨对话")]
    assert "一点五" in words


def test_clauses_split_at_punctuation():
    toks = segment_zh("中美关系，战略稳定")
    assert toks[0].clause != toks[-1].clause


def test_chinese_candidates_have_content_words_at_their_edges():
    zt = pair_view(pairs_from([PAIRS[0]])[0]).zt
    cands = {"".join(t.text for t in zt[a:b]) for a, b in chinese_candidates(zt)}
    assert "建设性战略稳定关系" in cands and "战略稳定" in cands
    assert not any(c.startswith(("的", "就", "了")) or c.endswith("的") for c in cands)
    assert "同意构建" not in cands  # a verb and its object


def test_english_spans_are_noun_phrase_shaped():
    toks = tokens_en("the enhancement of confidence-building measures and the strategic")
    spans = {" ".join(t.text for t in toks[s : e + 1]) for s, e in english_spans(toks)}
    assert "confidence-building measures" in spans
    assert "enhancement of confidence-building measures" in spans
    assert not any(s.startswith(("the ", "of ")) or s.endswith((" of", " and")) for s in spans)
    assert "strategic" not in spans  # an adjective is no term's head


def test_english_tokens_fold_forms():
    toks = {t.text: t for t in tokens_en("China-U.S. relations and Track II dialogues")}
    assert {"china", "usa"} <= toks["China-U.S."].forms
    assert "2" in toks["II"].forms
    assert "dialogu" in toks["dialogues"].forms


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "han,english",
    [("赖清德", "Lai Ching-te"), ("习近平", "Xi Jinping"), ("陈水扁", "Chen Shui-bian"),
     ("王毅", "Wang Yi"), ("蒋经国", "Chiang Ching-kuo")],
)  # fmt: skip
def test_names_match_by_pinyin_and_wade_giles(han, english):
    assert romanises(han, english)


@pytest.mark.parametrize(
    "han,english", [("王毅", "Wang Yang"), ("赖清德", "Lai Ching"), ("北京", "Beijing Daily")]
)
def test_names_that_do_not_match(han, english):
    assert not romanises(han, english)


# ---------------------------------------------------------------- term alignment


def test_terms_are_aligned_in_small_pairs(glossary):
    expected = {
        "建设性战略稳定关系": "constructive relationship of strategic stability",
        "二轨对话": "Track II dialogue",
        "跛脚鸭": "lame duck",
        "建立信任措施": "confidence-building measures",
        "赖清德": "Lai Ching-te",
        "习近平": "Xi Jinping",
        "战略稳定": "strategic stability",
    }
    for zh, en in expected.items():
        assert zh in glossary, zh
        assert glossary[zh].en == en


def test_entries_are_ranked_and_carry_an_example(glossary):
    entries = build_glossary(PAIRS)
    assert len(entries) >= 2
    # ranked by confidence and use: of two entries, the one both more confident and more
    # used never comes second
    for i, a in enumerate(entries):
        for b in entries[i + 1 :]:
            assert not (b.confidence > a.confidence and b.frequency >= a.frequency), (a, b)
    e = glossary["跛脚鸭"]
    assert e.example == PAIRS[6]
    assert e.frequency == 1 and e.source == "text" and 0 < e.confidence <= 1


def test_nested_terms_keep_their_own_translations(glossary):
    # 战略稳定 occurs alone too: both it and the long term are entries, each with its own
    assert glossary["战略稳定"].en == "strategic stability"
    assert glossary["战略稳定"].frequency >= 3
    assert glossary["建设性战略稳定关系"].frequency == 2
    # 战略稳定关系 never stands alone, but it is the long term's head, a term of several
    # words with its own translation: an entry too
    assert glossary["战略稳定关系"].en == "relationship of strategic stability"
    # a verb governing a term (加强 strengthen) is not part of it
    assert "加强建立信任措施" not in glossary


def test_fragments_are_not_entries(glossary):
    assert len(glossary) >= 7  # the terms of test_terms_are_aligned_in_small_pairs at least
    for zh in glossary:
        assert not zh.startswith(("的", "了", "和")) and not zh.endswith(("的", "了"))
    for e in glossary.values():
        words = e.en.lower().split()
        assert words[0] not in {"the", "of", "a", "and"} and words[-1] not in {"the", "of"}


def test_variants_fold_singular_and_plural():
    entries = {e.zh: e for e in build_glossary(PAIRS)}
    e = entries["二轨对话"]
    # `dialogues` and `dialogue` are one rendering; the singular is attested in the text
    assert e.en == "Track II dialogue" and e.variants == []


def test_several_renderings_become_variants():
    pairs = [
        ("双方同意构建中美建设性战略稳定关系。",
         "The two sides agreed to build a constructive bilateral relationship of strategic "
         "stability."),
        ("中美建设性战略稳定关系的新定位很重要。",
         "The new formulation of a constructive relationship of strategic stability matters."),
        ("这将确保中美建设性战略稳定关系取得进展。",
         "This will ensure progress toward a constructive China-U.S. relationship of strategic "
         "stability."),
    ]  # fmt: skip
    entries = {e.zh: e for e in build_glossary(pairs)}
    e = entries["建设性战略稳定关系"]
    assert e.en == "constructive relationship of strategic stability"
    assert set(e.variants) == {
        "constructive bilateral relationship of strategic stability",
        "constructive China-U.S. relationship of strategic stability",
    }
    assert e.frequency == 3
    assert "中美建设性战略稳定关系" not in entries  # 中美 is mostly left untranslated


def test_acronyms_match_initials():
    en = "The two sides discussed military applications of artificial intelligence."
    pairs = [("双方探讨AI军事应用。", en)]
    entries = {e.zh: e for e in build_glossary(pairs)}
    assert entries["AI军事应用"].en == "military applications of artificial intelligence"


def test_min_freq_and_top():
    all_entries = build_glossary(PAIRS)
    frequent = build_glossary(PAIRS, min_freq=2)
    assert frequent and all(e.frequency >= 2 for e in frequent)
    assert len(frequent) < len(all_entries)
    assert build_glossary(PAIRS, top=3) == all_entries[:3]
    assert build_glossary(PAIRS, top=0) == []


def test_pairs_from_sentences_and_alignments(write_bitext):
    from aligner.align import align_document
    from aligner.segment import load_document

    s_zh = Sentence("美国总统可能成为跛脚鸭。", "美国总统可能成为跛脚鸭。", "zh", 0, 0)
    s_en = Sentence("The U.S. president may become a lame duck.", "", "en", 0, 0)
    pairs = pairs_from([([s_zh], [s_en])])
    assert pairs[0].zh_norm == s_zh.text and pairs[0].en_text == s_en.text
    zh, en = write_bitext([z for z, _ in PAIRS], [e for _, e in PAIRS])
    al = align_document(load_document([zh, en]))
    assert len(pairs_from(al)) >= 8
    assert len(pairs_from([al, al])) == 2 * len(pairs_from(al))
    entries = {e.zh: e for e in build_glossary(al)}
    assert entries["跛脚鸭"].en == "lame duck"


def test_traditional_text_keeps_its_script():
    pairs = [("美國總統可能成為跛腳鴨。", "The U.S. president may become a lame duck.")]
    entries = {e.zh_simplified: e for e in build_glossary(pairs)}
    assert entries["跛脚鸭"].zh == "跛腳鴨"
    assert entries["跛脚鸭"].en == "lame duck"


# ---------------------------------------------------------------- the user's glossary


def test_known_entries_are_kept_and_merged():
    known = [
        Entry("跛脚鸭", "", "lame-duck president", source="user"),
        Entry("核裁军", "", "nuclear disarmament", source="user"),  # not in the text
    ]
    entries = build_glossary(PAIRS, known=known)
    by_zh = {e.zh: e for e in entries}
    assert by_zh["跛脚鸭"].source == "user" and by_zh["跛脚鸭"].en == "lame-duck president"
    assert "lame duck" in by_zh["跛脚鸭"].variants
    assert by_zh["跛脚鸭"].frequency == 1 and by_zh["跛脚鸭"].example == PAIRS[6]
    assert by_zh["核裁军"].source == "user" and by_zh["核裁军"].frequency == 0
    assert entries[0].source == "user"  # user entries rank first (confidence 1)
    assert sum(1 for e in entries if e.zh == "跛脚鸭") == 1


def test_known_entries_anchor_the_alignment():
    # nothing in the dictionary links 老大难 to `perennial headache`: the glossary does
    pairs = [("这是一个老大难问题。", "This is a perennial headache."),
             ("老大难问题终于解决了。", "The perennial headache was finally solved.")]  # fmt: skip
    known = [Entry("老大难问题", "", "perennial headache", source="user")]
    entries = {e.zh: e for e in build_glossary(pairs, known=known)}
    assert entries["老大难问题"].frequency == 2
    assert entries["老大难问题"].example[1] in {en for _, en in pairs}


def test_read_known_glossary_fixture():
    from aligner.formats import read_known_glossary

    known = read_known_glossary(FIXTURES / "known.tsv")
    assert [(e.zh, e.en) for e in known] == [
        ("一中政策", "one-China policy"), ("台海", "Taiwan Strait"), ("军控", "arms control"),
    ]  # fmt: skip
    assert all(e.source == "user" for e in known)


# ---------------------------------------------------------------- references


def test_references_attest_renderings_and_close_variants():
    entries = [
        Entry("建设性战略稳定关系", "", "constructive relationship of strategic stability"),
        Entry("二轨对话", "", "Track II dialogue"),
        Entry("跛脚鸭", "", "lame duck"),
        Entry("建立信任措施", "", "confidence-building measures"),
        Entry("赖清德", "", "Lai Ching-te"),
    ]
    attest(entries, [(FIXTURES / "reference_en.txt").read_text(encoding="utf-8")])
    by_zh = {e.zh: e for e in entries}
    assert by_zh["建设性战略稳定关系"].attested == [
        "constructive China-US relationship of strategic stability"
    ]
    assert by_zh["二轨对话"].attested[0].lower() == "track ii dialogues"  # most used first
    assert by_zh["跛脚鸭"].attested == ["lame duck"]
    assert by_zh["建立信任措施"].attested == ["confidence-building measures"]
    assert by_zh["赖清德"].attested == []


def test_build_glossary_with_reference_files():
    entries = build_glossary(PAIRS, references=[FIXTURES / "reference_en.txt"])
    by_zh = {e.zh: e for e in entries}
    assert by_zh["跛脚鸭"].attested == ["lame duck"]


# ---------------------------------------------------------------- bad input


def test_bad_input():
    with pytest.raises(InputError):
        build_glossary([("only one side",)])
    with pytest.raises(InputError):
        build_glossary(PAIRS, min_freq=0)
    with pytest.raises(InputError):
        build_glossary(PAIRS, top=-1)
    with pytest.raises(InputError, match="no-such-file"):
        build_glossary(PAIRS, references=["no-such-file.txt"])


def test_empty_and_one_sided_input():
    assert build_glossary([]) == []
    assert build_glossary([("", "An English sentence."), ("中文句子。", "")]) == []
    assert build_glossary([("。。。", "...")]) == []


def test_bad_reference_encoding(tmp_path):
    bad = tmp_path / "ref.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="ref.txt"):
        build_glossary(PAIRS, references=[bad])


# ---------------------------------------------------------------- the Zhang essay


@pytest.fixture(scope="module")
def zhang() -> list[Entry]:
    from aligner.align import align_document
    from aligner.segment import load_document

    doc = load_document([ROOT / "corpora" / "zhang-china-us-new-developments.txt"])
    return build_glossary(align_document(doc))


def test_zhang_essay_examples(zhang):
    by_zh = {e.zh: e for e in zhang}
    assert by_zh["建设性战略稳定关系"].en == "constructive relationship of strategic stability"
    assert len(by_zh["建设性战略稳定关系"].variants) == 2
    assert by_zh["二轨对话"].en == "Track II dialogue"
    assert by_zh["跛脚鸭"].en == "lame duck"
    assert by_zh["建立信任措施"].en == "confidence-building measures"
    assert by_zh["赖清德"].en == "Lai Ching-te"


def test_zhang_essay_top_entries_are_clean(zhang):
    top = zhang[:40]
    assert len(top) == 40
    for e in top:
        words = e.en.split()
        assert words[0].lower() not in {"the", "of", "a", "and", "to"}, e
        assert words[-1].lower() not in {"the", "of", "a", "and", "to"}, e
        assert not e.zh.startswith(("的", "了")) and not e.zh.endswith(("的", "了")), e


# ---------------------------------------------------------------- classes of terms

CLASS_PAIRS: list[tuple[str, str]] = [
    ("双方同意建立双边危机管理机制。",
     "The two sides agreed to establish bilateral crisis management mechanisms."),
    ("两国在网络安全方面开展合作。", "The two countries cooperate on cybersecurity."),
    ("美方应恪守三个联合公报的原则。",
     "The U.S. should abide by the principles of the three Joint Communiques."),
    ("两国元首通了电话。", "The two heads of state spoke by telephone."),
    ("两国元首同意加强沟通。", "The two heads of state agreed to strengthen communication."),
    ("核裁军才是美俄的首要任务。",
     "The nuclear arms reduction process is the first task of Washington and Moscow."),
    ("双方倡导互利共赢、开放包容、公平正义、和平发展的理念。",
     "Both sides advocate the ideas of mutual benefit, openness and inclusiveness, fairness "
     "and justice, and peaceful development."),
    ("政府官员出席了会议。", "Government officials attended the meeting."),
    ("战略稳定是核心议题。", "Strategic stability is the core issue."),
    ("双方讨论了战略稳定。", "The two sides discussed strategic stability."),
    ("维护战略稳定符合各方利益。",
     "Maintaining strategic stability serves the interests of all parties."),
    ("核战略稳定与战略稳定不同。", "Nuclear strategic stability differs from strategic stability."),
    ("双方恢复了三次会晤。", "The two sides resumed three meetings."),
]  # fmt: skip


@pytest.fixture(scope="module")
def classes() -> list[Entry]:
    return build_glossary(CLASS_PAIRS)


def _by_zh(entries: list[Entry]) -> dict[str, Entry]:
    return {e.zh: e for e in entries}


def test_a_nested_head_term_is_an_entry_beside_the_long_one(classes):
    by = _by_zh(classes)
    assert by["双边危机管理机制"].en == "bilateral crisis management mechanisms"
    assert by["危机管理机制"].en == "crisis management mechanisms"
    # a modifier before a term that is this text's own word makes a term (核 nuclear)
    assert by["核战略稳定"].en == "nuclear strategic stability"
    assert by["战略稳定"].en == "strategic stability"
    # a verb and its object is an action, not a term
    assert "建立双边危机管理机制" not in by


def test_one_closed_english_word_renders_a_two_word_term(classes):
    assert _by_zh(classes)["网络安全"].en == "cybersecurity"


def test_a_counted_name_and_a_counted_collective_are_terms_a_count_is_not(classes):
    by = _by_zh(classes)
    assert by["三个联合公报"].en == "three Joint Communiques"
    assert by["两国元首"].en == "two heads of state"
    assert by["三个联合公报"].part_of_speech == "properNoun"
    assert not any(zh.startswith("三次") for zh in by)  # three meetings: a count


def test_an_unexplained_run_is_not_cut_short(classes):
    # 裁军 is rendered by two words the dictionary does not give: both belong to it
    assert _by_zh(classes)["核裁军"].en == "nuclear arms reduction"


def test_a_set_formula_pairs_its_phrases_in_order(classes):
    by = _by_zh(classes)
    expected = {"互利共赢": "mutual benefit", "开放包容": "openness and inclusiveness",
                "公平正义": "fairness and justice", "和平发展": "peaceful development"}  # fmt: skip
    for zh, en in expected.items():
        assert by[zh].en == en
        assert (by[zh].term_type, by[zh].part_of_speech) == ("phrase", "other")


def test_specific_terms_rank_above_general_vocabulary(classes):
    order = [e.zh for e in classes]
    # 政府官员: two words of general language, however well aligned
    assert order.index("战略稳定") < order.index("政府官员")
    assert order.index("危机管理机制") < order.index("政府官员")
    assert all(e.part_of_speech for e in classes) and all(e.term_type for e in classes)


def test_formula_lists_need_parallel_phrases_and_a_matching_english_list():
    from aligner.terms.formulae import chinese_lists

    text = "实现“合作为主、竞争有度、分歧可控、和平可期”的目标"
    items = [[text[i.start : i.end] for i in found] for found in chinese_lists(text)]
    assert items == [["合作为主", "竞争有度", "分歧可控", "和平可期"]]
    assert list(chinese_lists("讨论了政治、经济、文化")) == []  # words, not phrases
    assert list(chinese_lists("合作为主、竞争有度")) == []  # two: a coordination
    # no English list of the same length: no phrase is paired
    pairs = [("实现合作为主、竞争有度、分歧可控、和平可期的目标。", "They want peace.")]
    assert not any(e.term_type == "phrase" for e in build_glossary(pairs))


def test_a_closed_compound_is_read_by_its_stem_only_when_it_is_no_word_itself():
    by = _by_zh(build_glossary([("中国重视文化和农业。", "China values culture and agriculture.")]))
    assert by["文化"].en == "culture" and by["农业"].en == "agriculture"


def test_a_numeral_and_a_classifier_count_things():
    pairs = [("他读了五本小说。", "He read five novels."),
             ("他又读了五本小说。", "He read five novels again.")]  # fmt: skip
    assert not any(e.zh.startswith("五本") for e in build_glossary(pairs))


def test_a_directional_complement_closes_no_term():
    pairs = [("队长过来了。", "The team leader came over."),
             ("队长过来看我们。", "The team leader came to see us.")]  # fmt: skip
    by = _by_zh(build_glossary(pairs))
    assert by["队长"].en == "team leader" and "队长过来" not in by


def test_a_term_inside_a_run_of_unexplained_words_gets_no_english():
    # `summit` renders 元首会晤 as a whole: 中美元首 alone is not `China-U.S. summit`
    pairs = [("在中美元首会晤期间,双方讨论了贸易。",
              "During the China-U.S. summit, the two sides discussed trade.")]  # fmt: skip
    assert all(e.en != "China-U.S. summit" for e in build_glossary(pairs))


def test_a_general_modifier_or_a_shell_noun_around_a_term_ranks_below_it():
    pairs = [("核战略稳定很重要。", "Nuclear strategic stability is important."),
             ("双方讨论了核战略稳定。", "The two sides discussed nuclear strategic stability."),
             ("全球核战略稳定面临挑战。", "Global nuclear strategic stability faces challenges."),
             ("核战略稳定领域的合作加强了。",
              "Cooperation in the field of nuclear strategic stability grew.")]  # fmt: skip
    from aligner.terms.entries import FREE_COMBINATION

    entries = build_glossary(pairs)
    order = [e.zh for e in entries]
    by = _by_zh(entries)
    for phrase in ("全球核战略稳定", "核战略稳定领域"):  # a general word, a shell noun
        assert order.index("核战略稳定") < order.index(phrase)
        assert by[phrase].confidence <= FREE_COMBINATION * by["核战略稳定"].confidence


def test_formula_items_are_cut_to_the_words_the_chinese_explains():
    pairs = [("双方倡导互利共赢、开放包容、公平正义、和平发展的理念。",
              "Both sides advocate mutual benefit, openness and inclusiveness, fairness and "
              "justice and peaceful development as their ideas.")]  # fmt: skip
    by = _by_zh(build_glossary(pairs))
    assert by["和平发展"].en == "peaceful development"
    assert by["公平正义"].en == "fairness and justice"


def test_traditional_terms_are_given_as_written():
    pairs = [("雙方同意構建建設性戰略穩定關係。",
              "The two sides agreed to build a constructive relationship of strategic "
              "stability."),
             ("戰略穩定是雙方的共同目標。", "Strategic stability is a shared goal of both sides.")]
    by = _by_zh(build_glossary(pairs))  # fmt: skip
    assert by["戰略穩定"].zh_simplified == "战略稳定"
    assert by["建設性戰略穩定關係"].en == "constructive relationship of strategic stability"
