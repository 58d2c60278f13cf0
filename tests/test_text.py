"""lib/ecrights/text.py: normalising quotes and finding printed numbers in them."""

import pytest

from ecrights.text import normalise, number_in_text


class TestNormalise:
    def test_traditional_to_simplified(self):
        assert normalise("社會消費品零售總額29194億元,同比名義增長10.1%") == "社会消费品零售总额29194亿元,同比名义增长10.1%"

    def test_pinyin_glosses_removed(self):
        assert normalise("社(shè)会消费品") == "社会消费品"
        # full-width brackets and tone marks; Traditional at the same time
        assert normalise("快遞服務（wù）企業(yè)") == "快递服务企业"

    def test_full_width_digits_and_punctuation(self):
        assert normalise("４１１６４９亿元，增长８．０％") == "411649亿元,增长8.0%"

    def test_spaces_collapsed_and_stripped(self):
        assert normalise("  2018年1-2月份,\n  社会消费品零售总额\t61082亿元 ") == "2018年1-2月份, 社会消费品零售总额 61082亿元"

    def test_latin_text_in_brackets_after_latin_is_kept(self):
        # only glosses following a CJK character are removed
        assert normalise("Retail Sales (units) 15338") == "Retail Sales (units) 15338"


class TestNumberInText:
    @pytest.mark.parametrize("number, text", [
        ("8.0", "同比增长8.0%"),
        ("411649", "社会消费品零售总额411,649亿元"),
        ("411649", "社会消费品零售总额411649亿元"),
        ("411,649", "社会消费品零售总额411649亿元"),
        ("29194", "社會消費品零售總額29194億元"),
        ("38777", "社会消费品零售总额３８７７７亿元"),
        ("+8.0", "增长8.0%"),
        ("8.0", "8.0"),
    ])
    def test_found(self, number, text):
        assert number_in_text(number, text)

    @pytest.mark.parametrize("number, text", [
        ("8.0", "增长18.0%"),     # part of a longer number on the left
        ("8.0", "增长8.05%"),     # part of a longer number on the right
        ("8", "增长8.0%"),        # integer part of a decimal
        ("0.5", "增长10.5%"),
        ("411649", "4116490亿元"),
        ("6.0", "增长8.0%"),
        ("16.5", "增长16.51%"),
    ])
    def test_not_found(self, number, text):
        assert not number_in_text(number, text)

    def test_negative_values_match_their_magnitude(self):
        # NBS prints falls as 下降1.2%, the data holds -1.2
        assert number_in_text("-1.2", "同比下降1.2%")
        assert number_in_text("-1.2", "增长-1.2%")
        assert not number_in_text("-1.2", "同比下降11.2%")
        assert not number_in_text("-1.2", "同比下降1.25%")

    def test_number_after_pinyin_gloss(self):
        assert number_in_text("635.2", "業(yè)務(wù)量完成635.2億件")


@pytest.mark.parametrize("number, text", [
    ("32691", "1~5月の全国のオンライン小売額は3兆2691億元で"),   # Japanese 兆/億
    ("24819", "実物商品のオンライン小売額は2兆4819億元で"),
    ("41649", "社会消费品零售总额4万1649亿元"),                   # Chinese 万亿 written in two parts
    ("277.6", "快递业务量277億6000万件"),                         # 亿 and 万
    ("277.06", "277億600万件"),
])
def test_numbers_written_in_two_parts(number, text):
    assert number_in_text(number, text)


def test_two_part_numbers_do_not_match_their_parts_alone():
    assert not number_in_text("3", "3兆2691億元")
    assert not number_in_text("2691", "3兆2691億元")
