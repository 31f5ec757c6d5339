import pytest
from django.http import Http404

from perfmgmt.ids import object_id, optional_id


@pytest.mark.parametrize("value", ["12", 12, " 7 "])
def test_a_positive_number_is_an_id(value):
    assert object_id(value) in (12, 7)


@pytest.mark.parametrize("value", ["", "abc", None, "0", "-3", str(2**63), "1.5"])
def test_anything_that_cannot_name_a_row_is_a_404(value):
    with pytest.raises(Http404):
        object_id(value)


@pytest.mark.parametrize(
    ("value", "expected"), [("5", 5), ("", None), (None, None), ("x", None), ("1.5", None)]
)
def test_an_optional_filter_id_is_none_when_it_is_not_a_number(value, expected):
    assert optional_id(value) == expected
