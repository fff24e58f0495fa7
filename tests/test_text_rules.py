import pytest
from hypothesis import given, strategies as st

from kehoach.normalizers.text import fold, match_key, repair_glyphs, repair_syllables, tone_canonical
from conftest import cases


@pytest.mark.parametrize("text,expected", cases("text_rules", "repair"))
def test_repairs(text, expected):
    assert repair_syllables(repair_glyphs(text)) == expected


@pytest.mark.parametrize("text,expected", cases("text_rules", "tone"))
def test_tone_style(text, expected):
    assert tone_canonical(text) == expected


@pytest.mark.parametrize("text,expected", cases("text_rules", "fold"))
def test_fold(text, expected):
    assert fold(text) == expected


VIETNAMESE = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ AĂÂĐÊÔƠƯÀÁẢÃẠỦỲÝ.,;:-/0123456789\n", max_size=200)


@given(VIETNAMESE)
def test_matching_keys_keep_length(text):
    # extractors search the keys and cut spans from the text: lengths must agree
    assert len(tone_canonical(text)) == len(text)
    assert len(fold(text)) == len(text)
    assert len(match_key(text)) == len(text)
    assert len(repair_syllables(text)) == len(text)


@given(VIETNAMESE)
def test_tone_canonical_is_idempotent(text):
    once = tone_canonical(text)
    assert tone_canonical(once) == once
