import pytest
from hypothesis import given, strategies as st

from kehoach.normalizers.text import fold, match_key, repair_glyphs, repair_syllables, tone_canonical
from conftest import case_params


@pytest.mark.parametrize("case", case_params("text_rules", "repair"))
def test_repairs(case):
    assert repair_syllables(repair_glyphs(case["text"])) == case["expected"]


@pytest.mark.parametrize("case", case_params("text_rules", "tone"))
def test_tone_style(case):
    assert tone_canonical(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", case_params("text_rules", "fold"))
def test_fold(case):
    assert fold(case["text"]) == case["expected"]


# Vietnamese letters in both tone styles, the broken glyphs PDFs produce (ƣ Ƣ), the invisible
# characters repair_glyphs deletes (soft hyphen, zero-width space, byte-order mark) and a capital
# whose lower case is two characters (İ)
VIETNAMESE = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                              "AĂÂĐÊÔƠƯÀÁẢÃẠỦỲÝoàoạuỷƣƢ\u00ad\u200b\ufeffİ .,;:-/0123456789\n", max_size=200)


@given(VIETNAMESE)
def test_matching_keys_keep_length(text):
    # extractors search the keys and cut spans from the text: lengths must agree
    assert len(tone_canonical(text)) == len(text)
    assert len(fold(text)) == len(text)
    assert len(match_key(text)) == len(text)
    assert len(repair_syllables(text)) == len(text)


@given(VIETNAMESE)
def test_the_key_of_repaired_text_is_the_repaired_key(text):
    # after repair_glyphs (which deletes the invisible characters) the key still lines up, and
    # it is the key of the text before repair with those characters taken out
    repaired = repair_glyphs(text)
    assert match_key(repaired) == "".join(c for c in match_key(text) if c not in "\u00ad\u200b\ufeff")


def test_keys_of_the_characters_that_matter():
    assert match_key("Chƣơng\u00adtrình\u200b Uỷ") == "chương\u00adtrình\u200b ủy"
    assert fold("Chƣơng\ufeff") == "chuong\ufeff"
    assert match_key("İ") == "İ"


@given(VIETNAMESE)
def test_tone_canonical_is_idempotent(text):
    once = tone_canonical(text)
    assert tone_canonical(once) == once
