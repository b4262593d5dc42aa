"""The rules of ``matching``: the letters' frame does not make two matters one, a differing
hamlet makes two people, a shorter address within a longer one is the same place."""

from __future__ import annotations

import pytest

from vanphong.petitions import matching


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tố cáo cán bộ địa chính xã nhận hối lộ", "Tố cáo cán bộ tư pháp xã nhận hối lộ"),
        ("quyết định thu hồi đất số 12", "quyết định xử phạt số 12"),
        ("Khiếu nại về việc của Ủy ban nhân dân xã", "Kiến nghị về việc của Ủy ban nhân dân phường"),
    ],
)
def test_the_frame_of_a_letter_does_not_make_the_same_matter(a, b):
    assert not matching.same_matter(a, b)


def test_the_same_matter_written_without_diacritics():
    assert matching.same_matter(
        "Khiếu nại việc UBND xã thu hồi đất nông nghiệp không bồi thường thỏa đáng",
        "khieu nai viec thu hoi dat nong nghiep cua gia dinh, boi thuong khong thoa dang",
    )
    assert matching.same_matter(
        "Tố cáo cán bộ địa chính xã nhận hối lộ", "TO CAO CAN BO DIA CHINH XA NHAN HOI LO"
    )


def test_a_different_hamlet_is_another_person():
    assert not matching.same_person(
        "Nguyễn Văn An", "", "Thôn Tây, xã An Phú", "Nguyễn Văn An", "", "Thôn Đông, xã An Phú"
    )
    assert not matching.same_address("Tổ 5, phường Hòa Bình", "Tổ 7, phường Hòa Bình")
    assert not matching.same_address("thon Tay xa An Phu", "Thôn Đông xã An Phú")


def test_a_shorter_address_within_a_longer_one_is_the_same_place():
    assert matching.same_person(
        "Nguyễn Văn An", "", "xã An Phú", "NGUYEN VAN AN", "", "Thôn Tây, xã An Phú, tỉnh Lâm Đồng"
    )
    assert matching.same_address("Thôn Đông, xã An Phú, tỉnh Thử nghiệm", "thon Dong xa An Phu")
    assert not matching.same_address("xã An Phú", "phường Hòa Bình, thành phố Tây Sơn")


def test_names_match_without_accents_and_id_numbers_decide():
    assert matching.same_person("Nguyễn Văn An", "", "xã An Phú", "NGUYEN VAN AN", "", "xa an phu")
    assert not matching.same_person("Nguyễn Văn An", "", "xã An Phú", "Nguyễn Văn Bình", "", "xã An Phú")
    assert matching.same_person("Nguyễn Văn An", "001", "Hà Nội", "Nguyen Van An", "001", "Huế")
    assert not matching.same_person("Nguyễn Văn An", "001", "xã An Phú", "Nguyen Van An", "002", "xã An Phú")


def test_deterministic():
    text = "Tố cáo cán bộ địa chính xã nhận hối lộ để hợp thức hóa đất lấn chiếm"
    assert matching.content_terms(text) == matching.content_terms(text)
    assert "can bo" not in matching.content_terms(text)
    assert "dia chinh" in matching.content_terms(text)
